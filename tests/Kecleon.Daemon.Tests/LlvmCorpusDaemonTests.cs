using Kecleon.Bench.Live;
using Kecleon.Cli.Tests;
using Kecleon.Runtime.Deployment;
using Kecleon.Tests;
using Microsoft.Extensions.DependencyInjection;
using Xunit;
using Xunit.Abstractions;

namespace Kecleon.Daemon.Tests;

/// <summary>One daemon, one target per LLVM corpus program (<see cref="LlvmCorpus"/>: inline asm, a stub entry,
/// externs, CO-RE, a kfunc call, a linked object), each its own object given as the source, loaded and attached on a
/// veth of its own: every target is checked and swapped, and restored when the daemon stops.</summary>
[Trait("Tier", "Kernel")]
public sealed class LlvmCorpusDaemonTests(ITestOutputHelper output)
{
    [Fact]
    public async Task The_daemon_optimizes_every_corpus_program_and_restores_it()
    {
        var pairs = LlvmCorpus.Patterns.Keys.ToDictionary(p => p, _ => VethPair.Create());
        try
        {
            var config = EndToEndTests.Config(pairs.Values.First(), ShutdownPolicy.Restore) with
            {
                Targets = pairs.Select(p => new TargetConfig
                {
                    Name = p.Key, Source = LlvmCorpus.Object(p.Key), Interface = p.Value.HostEnd, Attach = true,
                }).ToList(),
                ProfileWindow = TimeSpan.Zero,
                Period = TimeSpan.FromSeconds(30),
            };
            using var host = EndToEndTests.BuildHost(config, _ => [Programs.Frame(0x0800), Programs.Frame(0x86dd, 90)]);
            var daemon = host.Services.GetRequiredService<KecleonService>();
            await host.StartAsync();
            var originals = new Dictionary<string, uint>();
            try
            {
                foreach (var pattern in pairs.Keys)
                {
                    var target = await EndToEndTests.WaitFor(daemon, pattern, t => t.Swaps >= 1, TimeSpan.FromSeconds(60), $"{pattern} swapped");
                    output.WriteLine($"{pattern}: original {target.OriginalProgramId}, live {target.LiveProgramId}");
                    Assert.NotEqual(target.OriginalProgramId, target.LiveProgramId);
                    originals[pattern] = target.OriginalProgramId!.Value;
                }
            }
            finally
            {
                await host.StopAsync();
            }
            foreach (var (pattern, pair) in pairs)
                Assert.Equal(originals[pattern], LinkProgram(pair));
        }
        finally
        {
            foreach (var pair in pairs.Values)
                pair.Dispose();
        }
    }

    /// <summary>The program on the XDP link the daemon pinned when it attached the source.</summary>
    private static uint LinkProgram(VethPair pair) =>
        ProgramHook.ForInterface(pair.HostIndex) is { } hook ? hook.CurrentProgramId() : 0;
}
