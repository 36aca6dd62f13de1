using System.Diagnostics;
using Kecleon.Bpf;
using Kecleon.Runtime.Deployment;
using Kecleon.Runtime.Guards;
using Kecleon.Bench.Live;
using Kecleon.Tests;
using Xunit;
using Xunit.Abstractions;

namespace Kecleon.Runtime.Tests.Deployment;

/// <summary>
/// Crash safety of the swap transactions, step by step: a process (<see cref="SwapChild"/>) does what a Kecleon
/// command does to a target and is killed with SIGKILL right after its N-th kernel call
/// (<see cref="FaultInjection"/>), for N = 1, 2, … until a run finishes. After every kill the hook must give the
/// original's verdicts, also after a control-plane write to the specialized map (BPF_PROG_TEST_RUN of whatever the hook
/// runs, against the original's); and the next <see cref="Target.Open"/> must recover: optimize again, then restore the
/// original program (same id).
/// </summary>
[Trait("Tier", "Kernel")]
public sealed class SwapCrashTests(ITestOutputHelper output)
{
    private const string Mac = "02:00:00:00:00:02";

    /// <summary>A frame for every key (0..15, 15 has no entry) and one of another EtherType.</summary>
    internal static IReadOnlyList<byte[]> Probes() =>
        [.. Enumerable.Range(0, 16).Select(i => SwapFixture.Frame(i, Mac)), Programs.Frame(0x0800, 60)];

    [Theory]
    [InlineData(HookKind.XdpLink, "full")]
    [InlineData(HookKind.XdpNetlink, "short")]
    [InlineData(HookKind.ProgramArraySlot, "short")]
    public void A_process_killed_after_any_step_of_a_swap_leaves_a_correct_hook_and_a_target_that_reopens(HookKind kind, string sequence)
    {
        using var pair = VethPair.Create();
        using var original = SwapFixture.LoadOriginal();
        var originalId = original.Program.Info().Id;
        var pinRoot = Path.Combine(pair.PinDirectory, "targets");
        Directory.CreateDirectory(pinRoot);
        var (hookArgument, cleanup) = Attach(kind, pair, original);
        var elf = SwapFixture.Object;
        var clock = Stopwatch.StartNew();
        try
        {
            for (var n = 1; ; n++)
            {
                Assert.True(n < 60, "the sequence never finished");
                SwapFixture.SetActions(original, shift: 0);
                var run = RunChild(kind, hookArgument, pinRoot, sequence, n);
                if (run.ExitCode == 0)
                {
                    output.WriteLine($"{kind} {sequence}: {run.Stdout.Trim()}; killed after each of steps 1..{n - 1}; {clock.Elapsed.TotalSeconds:F1} s");
                    Assert.True(n > (sequence == "full" ? 20 : 10), $"only {n - 1} steps: are the fault points in place?");
                    break;
                }
                Assert.True(run.ExitCode == 137, $"kill at step {n}: exit {run.ExitCode}, not SIGKILL: {run.Stdout}{run.Stderr}");
                var killedAt = run.Stderr.Split('\n').FirstOrDefault(l => l.Contains("killed after step", StringComparison.Ordinal))?.Trim() ?? "";

                using var hook = SwapChild.OpenHook(kind, hookArgument);
                var running = hook.CurrentProgramId();
                AssertOriginalVerdicts(running, original, $"step {n}, before a write");
                SwapFixture.SetActions(original, shift: n); // a control-plane write to the specialized map
                AssertOriginalVerdicts(running, original, $"step {n}, after a write");

                // The next process: Open finishes or undoes the interrupted transaction; optimize again (once per hook
                // kind and transaction: the full sequence); restore.
                using (var target = Target.Open(SwapChild.OpenHook(kind, hookArgument), pinRoot))
                using (var guards = GuardTable.OpenPinned(Path.Combine(pinRoot, "guards")))
                {
                    Assert.Equal(originalId, target.OriginalInfo.Id);
                    if (sequence == "full")
                    {
                        LiveOptimization.OptimizeAndSwap(target, SwapFixture.ProgramSource, elf, SwapFixture.ProgramName, guards, Probes());
                        AssertOriginalVerdicts(hook.CurrentProgramId(), original, $"step {n}, optimized again");
                    }
                    if (target.OptimizedId is not null)
                        LiveOptimization.Restore(target, guards);
                    Assert.Equal(originalId, hook.CurrentProgramId());
                    output.WriteLine($"step {n}: {killedAt} hook ran {(running == originalId ? "the original" : $"program {running}")}; " +
                                     $"reopened{(target.Note is { } note ? $" ({note})" : "")}");
                    Directory.Delete(target.Directory, recursive: true); // the next run starts as the first did
                }
            }
        }
        finally
        {
            cleanup();
        }
    }

    private static void AssertOriginalVerdicts(uint programId, LoadedVariant original, string when)
    {
        Assert.NotEqual(0u, programId);
        using var program = BpfFd.OpenProgramById(programId);
        foreach (var frame in Probes())
        {
            var expected = original.Program.TestRun(frame);
            var actual = BpfTestRun.Run(program.Value, $"program {programId}", frame);
            Assert.True(expected.ReturnValue == actual.ReturnValue && expected.Output.AsSpan().SequenceEqual(actual.Output),
                $"{when}: program {programId} answers {actual.ReturnValue} for key {BitConverter.ToUInt32(frame, 14)}, the original {expected.ReturnValue}");
        }
    }

    /// <summary>Attaches the original the <paramref name="kind"/> way; returns what names the hook to the child.</summary>
    private static (string Argument, Action Cleanup) Attach(HookKind kind, VethPair pair, LoadedVariant original)
    {
        switch (kind)
        {
            case HookKind.XdpLink:
            {
                var link = XdpLinkHook.Create(original.Program.Fd, pair.HostIndex);
                var pin = Path.Combine(pair.PinDirectory, "link");
                link.Pin(pin);
                return (pin, () => { link.Dispose(); File.Delete(pin); });
            }
            case HookKind.XdpNetlink:
                BpfXdp.Attach(pair.HostIndex, original.Program.Fd, XdpFlags.DriverMode);
                return (pair.HostIndex.ToString(System.Globalization.CultureInfo.InvariantCulture), () => BpfXdp.Detach(pair.HostIndex, XdpFlags.DriverMode));
            default:
            {
                var dispatcher = BpfObject.Open(DispatcherObject.Value, "dispatch");
                dispatcher.Load();
                var slots = dispatcher.Map("targets");
                slots.Update(BitConverter.GetBytes(0u), BitConverter.GetBytes((uint)original.Program.Fd));
                var pin = Path.Combine(pair.PinDirectory, "slots");
                BpfFd.Pin(slots.Fd, pin);
                return (pin, () => { File.Delete(pin); dispatcher.Dispose(); });
            }
        }
    }

    private static readonly Lazy<byte[]> DispatcherObject = new(() => Kecleon.FrontEnd.ProgramSource.Read(TestEnvironment.WriteC(Programs.Prelude + """

        struct {
            __uint(type, BPF_MAP_TYPE_PROG_ARRAY);
            __uint(max_entries, 4);
            __type(key, __u32);
            __type(value, __u32);
        } targets SEC(".maps");

        SEC("xdp")
        int dispatch(struct xdp_md *ctx)
        {
            bpf_tail_call(ctx, &targets, 0);
            return XDP_PASS;
        }
        """, "crash_dispatch")).BuildBaselineObject());

    private sealed record ChildRun(int ExitCode, string Stdout, string Stderr);

    private static ChildRun RunChild(HookKind kind, string hookArgument, string pinRoot, string sequence, int killAt)
    {
        var info = new ProcessStartInfo(TestEnvironment.DotnetHost) { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var a in new[] { typeof(SwapChild).Assembly.Location, "swap", kind.ToString(), hookArgument, pinRoot, sequence })
            info.ArgumentList.Add(a);
        info.Environment[FaultInjection.KillAtVariable] = killAt.ToString(System.Globalization.CultureInfo.InvariantCulture);
        using var process = Process.Start(info)!;
        var stderr = process.StandardError.ReadToEndAsync();
        var stdout = process.StandardOutput.ReadToEnd();
        if (!process.WaitForExit(TimeSpan.FromMinutes(2)))
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"the swap process (kill at {killAt}) did not finish");
        }
        return new ChildRun(process.ExitCode, stdout, stderr.Result);
    }
}
