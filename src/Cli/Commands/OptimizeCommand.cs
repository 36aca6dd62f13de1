using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using Kecleon.Bpf;
using Kecleon.FrontEnd;
using Kecleon.Instrumentation.Profiles;
using Kecleon.Runtime.Checking;
using Kecleon.Runtime.Deployment;
using Kecleon.Runtime.Execution;
using Kecleon.Runtime.Guards;
using Kecleon.Runtime.Optimization;
using Kecleon.Workloads;

namespace Kecleon.Cli.Commands;

/// <summary>
/// <c>kecleon optimize INPUT --attach IFACE | --prog-id N | --pin PATH [--restore]</c>: one analyze, specialize, verify,
/// swap cycle against a live XDP program, or the swap back. What it swaps in stays in place after it exits: the target's
/// pins (docs/swap.md) and the pinned guard table keep the optimized program attached and guarded.
/// </summary>
internal static class OptimizeCommand
{
    public static Command Create()
    {
        var compile = new CompileOptions();
        var attach = new Option<string?>("--attach") { Description = "The interface: its XDP program is the target; if it has none, load INPUT and attach it with a pinned bpf_link" };
        var programId = new Option<uint?>("--prog-id") { Description = "The loaded program to optimize (found on its XDP link or netlink attachment)" };
        var pin = new Option<string?>("--pin") { Description = "A pinned XDP bpf_link (or a pinned program that is attached somewhere)" };
        var restore = new Option<bool>("--restore") { Description = "Swap the original back instead" };
        var json = new Option<bool>("--json") { Description = "Print what was done as JSON" };
        var program = new Option<string?>("--program") { Description = "Which program of INPUT (default: the sample's, or the only one)" };
        var packets = new Option<int>("--check-packets") { Description = "Packets for the differential check", DefaultValueFactory = _ => 1000 }
            .Within(1, OptionRange.MaxPackets);
        var seed = SampleOptions.Seed();
        var profile = new Option<string?>("--profile") { Description = "A profile recorded with `kecleon profile --out p.json`: hot keys get fast paths, branches its weights" };
        var pinRoot = new Option<string>("--pin-root") { Description = "Where targets and the guard table are pinned", DefaultValueFactory = _ => Target.DefaultPinRoot };
        var command = new Command("optimize", "Optimize a live XDP program on its current maps, check it, and swap it in atomically (or --restore the original)")
        {
            attach, programId, pin, restore, json, program, packets, seed, pinRoot, profile,
        };
        compile.AddTo(command);
        command.SetAction(result => CommandRunner.Guard(() =>
        {
            var chosen = new[] { result.GetValue(attach) is not null, result.GetValue(programId) is not null, result.GetValue(pin) is not null }.Count(b => b);
            if (chosen != 1)
                throw new UsageException("name the target with exactly one of --attach IFACE, --prog-id N or --pin PATH");
            var input = CommandFiles.Input(result.GetValue(compile.Input)!, "a program");
            var root = CommandFiles.PinFolder(result.GetValue(pinRoot)!, "--pin-root");
            var profilePath = result.GetValue(profile) is { } given && !result.GetValue(restore) ? CommandFiles.Input(given, "a profile (JSON)") : null;
            if (result.GetValue(attach) is { } iface && !InterfaceExists(iface))
                throw new UsageException($"--attach: no network interface named '{iface}' (see `ip link`)");
            Privileges.RequireBpf("optimize"); // first: bpffs folders are root's, so a missing pin may only be unreadable
            if (result.GetValue(pin) is { } pinPath)
            {
                if (string.IsNullOrWhiteSpace(pinPath))
                    throw new UsageException("--pin needs the path of a pinned bpf_link or program");
                CommandFiles.PinFolder(Path.GetDirectoryName(Path.GetFullPath(pinPath))!, "--pin");
                if (!File.Exists(pinPath))
                    throw new InputNotFoundException($"--pin {pinPath}: no such pinned object");
            }
            var sample = BundledSample(input);
            var frontEnd = sample is null
                ? compile.FrontEnd(result)
                : SampleFiles.FrontEndOptions with { ClangFlags = [.. SampleFiles.FrontEndOptions.ClangFlags, .. result.GetValue(compile.ClangFlags) ?? []] };
            var run = new Run(result.GetValue(json));

            var source = ProgramSource.Read(input, frontEnd);
            var elf = source.Kind switch
            {
                SourceKind.EmbeddedBitcode => source.UserObject!,
                SourceKind.C => source.BuildBaselineObject(frontEnd),
                _ => Toolchain.Compile(source, compile.CodeGen(result)).Elf,
            };
            var programName = result.GetValue(program) ?? sample?.ProgramName;

            LoadedVariant? loaded = null;
            try
            {
                using var target = FindTarget(result.GetValue(attach), result.GetValue(programId), result.GetValue(pin), root, !result.GetValue(restore),
                    () => loaded = LoadedVariant.Load("original", elf, programName), run);
                if (target.Note is { } note)
                    run.Say(note);
                using var guards = GuardTable.OpenPinned(Path.Combine(root, "guards"));
                if (result.GetValue(restore))
                {
                    var back = LiveOptimization.Restore(target, guards);
                    run.Swap(back, target);
                    run.Data["guards_registered"] = guards.Registrations.Count;
                    run.Say($"guards: {guards.Registrations.Count} map(s) still guarded; hook {(guards.IsAttached ? "attached" : "detached")}");
                    return run.Finish();
                }
                var check = CheckPackets(sample, result.GetValue(packets), result.GetValue(seed));
                run.Say($"check packets: {check.Source}");
                var recorded = profilePath is not null ? LoadProfile(profilePath, source, run) : null;
                var outcome = LiveOptimization.OptimizeAndSwap(target, source, elf, programName, guards, check.Packets,
                    new OptimizeOptions { CodeGen = compile.CodeGen(result), Profile = recorded }, loaded);
                run.Report(outcome.Report);
                run.Swap(outcome.Swap, target);
                run.Data["guard_hook"] = guards.MechanismDescription;
                run.Say($"guard hook: {guards.MechanismDescription}, pinned in {guards.PinDirectory}");
                run.Say($"pinned: {target.Directory} (original, optimized, fallback, guarded{(target.Hook is XdpLinkHook ? ", link" : "")}); " +
                        $"swap back with `kecleon optimize {input} --prog-id {target.OriginalInfo.Id} --restore`");
                if (loaded is not null)
                    run.Say("note: the program was loaded just now with empty maps and specialized on them; fill its maps " +
                            "(the guards send every packet to the original meanwhile) and run optimize again");
                return run.Finish();
            }
            finally
            {
                loaded?.Dispose(); // the link and the pins hold what must stay
            }
        }));
        return command;
    }

    private static bool InterfaceExists(string name) =>
        name.Length is > 0 and < 16 && name is not "." and not ".." && !name.Contains('/') && Directory.Exists(Path.Combine("/sys/class/net", name));

    private static Profile LoadProfile(string path, ProgramSource source, Run run)
    {
        var profile = LoadRecordedProfile(path, source);
        run.Say($"profile: {path} ({profile.Packets} packets, {profile.Sites.Count} lookup sites, {profile.Branches.Count} branches)");
        run.Data["profile"] = path;
        return profile;
    }

    /// <summary>Reads a recorded profile, with a warning when it was taken on other IR (its sites may not be these).</summary>
    internal static Profile LoadRecordedProfile(string path, ProgramSource source)
    {
        var profile = Profile.Load(path);
        using var context = Kecleon.Llvm.LlvmContext.Create();
        using var module = source.Parse(context);
        var hash = Profile.IrFingerprint(module.ToString());
        if (profile.IrHash.Length > 0 && profile.IrHash != hash)
            Console.Error.WriteLine($"kecleon: warning: {path} was recorded on different IR ({profile.IrHash}, this is {hash}); " +
                                    "its hot keys may not fit these sites (the guards and the check keep the result correct)");
        return profile;
    }

    /// <summary>The bundled sample <paramref name="input"/> is (a copy of), by name and contents: the build puts copies
    /// of the samples next to the tool.</summary>
    private static INetworkFunctionSample? BundledSample(string input)
    {
        var bytes = File.ReadAllBytes(input);
        return SampleCatalog.All.FirstOrDefault(s => Path.GetFileName(s.SourcePath) == Path.GetFileName(input)
            && File.Exists(SampleFiles.SourceOf(s)) && File.ReadAllBytes(SampleFiles.SourceOf(s)).AsSpan().SequenceEqual(bytes));
    }

    private static Target FindTarget(string? iface, uint? programId, string? pin, string root, bool mayLoad, Func<LoadedVariant> load, Run run)
    {
        if (iface is not null)
        {
            var ifindex = BpfXdp.InterfaceIndex(iface);
            if (ProgramHook.ForInterface(ifindex) is { } hook)
                return Target.Open(hook, root);
            if (!mayLoad)
                throw new KecleonException($"no XDP program is attached to {iface}: nothing to restore");
            var original = load();
            var target = Target.AttachPinned(original.Program.Fd, ifindex, root);
            run.Say($"loaded the input as program {target.OriginalInfo.Id} ({target.OriginalInfo.Name}) and attached it to {iface} with a pinned bpf_link");
            return target;
        }
        if (programId is { } id)
            return Target.Find(id, root) ?? throw new KecleonException(
                $"program {id} is not attached to any XDP hook (searched every XDP link and every interface's netlink attachment). " +
                "Attach it first, or give --attach IFACE to load and attach the input");
        var fd = BpfFd.OpenPinned(pin!);
        switch (fd.Kind)
        {
            case "bpf-link":
                return Target.Open(new XdpLinkHook(fd), root);
            case "bpf-prog":
                var pinned = BpfProgramInfo.FromFd(fd.Value).Id;
                fd.Dispose();
                return Target.Find(pinned, root) ?? throw new KecleonException(
                    $"{pin} is a pinned program (id {pinned}) that is not attached to any XDP hook. A pinned program alone cannot be " +
                    "swapped: Kecleon needs the hook that runs it. Attach it (e.g. `ip link set dev IFACE xdp pinned " + pin +
                    "`, or pin its bpf_link instead), then run optimize with --prog-id " + pinned.ToString(CultureInfo.InvariantCulture) + " or --pin LINK");
            default:
                var kind = fd.Kind;
                fd.Dispose();
                throw new UsageException($"{pin} is a pinned {kind}, not an XDP bpf_link or program");
        }
    }

    private static (IReadOnlyList<byte[]> Packets, string Source) CheckPackets(INetworkFunctionSample? sample, int count, int seed)
    {
        if (sample is null)
            return (PacketFuzzer.Generate([], count, seed), $"{count} random and malformed frames (PacketFuzzer, seed {seed})");
        var controlPlane = sample.GenerateControlPlane(seed);
        var known = sample.KnownPackets(controlPlane).Select(k => k.Frame).ToList();
        var trace = sample.GenerateTrace(controlPlane, Locality.High, count, seed);
        return ([.. known, .. trace], $"the {sample.Name} sample's trace ({trace.Count} frames, high locality, seed {seed}) and its {known.Count} known frames");
    }

    /// <summary>What the command prints: lines as it goes, or one JSON object at the end.</summary>
    private sealed class Run(bool json)
    {
        public Dictionary<string, object?> Data { get; } = [];
        private readonly List<string> _notes = [];

        public void Say(string line)
        {
            _notes.Add(line);
            if (!json)
                Console.WriteLine(line);
        }

        public void Report(OptimizationReport report)
        {
            var t = report.Times;
            Data["program"] = report.Program;
            Data["steps"] = report.Steps.Select(s => new { s.Pass, s.What, s.Where, s.Applied }).ToList();
            Data["maps"] = report.Snapshots.Select(s => new { s.Name, type = s.Type.ToString(), entries = s.Entries.Count, slot = s.GuardSlot, version = s.GuardVersion }).ToList();
            Data["instructions_before"] = report.InstructionsBefore;
            Data["instructions_after"] = report.InstructionsAfter;
            Data["stage_ms"] = new Dictionary<string, double>
            {
                ["parse"] = t.Parse.TotalMilliseconds, ["analyze"] = t.Analyze.TotalMilliseconds, ["snapshot"] = t.Snapshot.TotalMilliseconds,
                ["passes"] = t.Passes.TotalMilliseconds, ["optimize"] = t.Optimize.TotalMilliseconds, ["codegen"] = t.CodeGen.TotalMilliseconds,
                ["load"] = t.Load.TotalMilliseconds, ["check"] = t.Check.TotalMilliseconds,
            };
            Data["check_packets"] = report.Check?.Packets;
            Data["check_mismatches"] = report.Check?.Mismatches.Count;
            if (json)
                return;
            Console.WriteLine($"optimized {report.Program}:");
            // The same refusal at many sites (a per-CPU stats map, say) prints once, with its count.
            foreach (var group in report.Steps.GroupBy(s => (s.Applied, s.Pass, s.What)))
            {
                var step = group.First();
                var count = group.Count();
                Console.WriteLine($"  {(step.Applied ? '+' : '-')} {step.Pass}: {step.What} ({step.Where}{(count > 1 ? $" and {count - 1} more site(s)" : "")})");
            }
            foreach (var s in report.Snapshots)
                Console.WriteLine($"  map {s.Name}: {s.Entries.Count} entries inlined, guard slot {s.GuardSlot} at version {s.GuardVersion}");
            if (report.Snapshots.Count == 0)
                Console.WriteLine("  no map was specialized");
            Console.WriteLine($"  instructions (after the verifier): {report.InstructionsBefore} -> {report.InstructionsAfter}");
            Console.WriteLine(FormattableString.Invariant(
                $"  stages: parse {Ms(t.Parse)}, analyze {Ms(t.Analyze)}, snapshot {Ms(t.Snapshot)}, passes {Ms(t.Passes)}, optimize {Ms(t.Optimize)}, codegen {Ms(t.CodeGen)}, load {Ms(t.Load)}, check {Ms(t.Check)}"));
            if (report.Check is { } check)
                Console.WriteLine($"  check: {check.Packets} packets, {check.Mismatches.Count} mismatches");
        }

        public void Swap(SwapResult swap, Target target)
        {
            var how = swap.Kind switch
            {
                HookKind.XdpLink => "BPF_LINK_UPDATE with BPF_F_REPLACE",
                HookKind.XdpNetlink => "bpf_xdp_attach with XDP_FLAGS_REPLACE",
                _ => "PROG_ARRAY update",
            };
            Data["swap"] = new { hook = swap.Hook, mechanism = how, from = swap.FromProgramId, to = swap.ToProgramId, latency_us = swap.Latency.TotalMicroseconds };
            Data["original_id"] = target.OriginalInfo.Id;
            Data["pin_directory"] = target.Directory;
            Say(FormattableString.Invariant($"swapped program {swap.FromProgramId} -> {swap.ToProgramId} on {swap.Hook} ({how}) in {swap.Latency.TotalMilliseconds:F2} ms"));
        }

        public int Finish()
        {
            if (json)
            {
                Data["notes"] = _notes;
                Console.WriteLine(JsonSerializer.Serialize(Data, new JsonSerializerOptions { WriteIndented = true, Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping }));
            }
            return ExitCodes.Success;
        }

        private static string Ms(TimeSpan t) => FormattableString.Invariant($"{t.TotalMilliseconds:F1} ms");
    }
}
