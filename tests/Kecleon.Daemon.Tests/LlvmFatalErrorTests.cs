using Kecleon.Bench.Live;
using Kecleon.FrontEnd;
using Kecleon.Tests;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Xunit;
using Xunit.Abstractions;

namespace Kecleon.Daemon.Tests;

/// <summary>A target whose program makes LLVM report a fatal error (a variable-length array: the BPF back end has no
/// dynamic stack allocation): that target's cycle fails with the reason and is retried after the longest back-off, and
/// again; the daemon, in this very process, goes on.</summary>
[Trait("Tier", "Kernel")]
public sealed class LlvmFatalErrorTests(ITestOutputHelper output)
{
    [Fact]
    public async Task A_fatal_llvm_error_fails_the_targets_cycle_and_the_daemon_goes_on()
    {
        using var pair = VethPair.Create();
        var source = TestEnvironment.WriteC(Programs.Prelude + """

            SEC("xdp") int variable_length(struct xdp_md *ctx)
            {
            	int n = (ctx->data_end - ctx->data) & 15;
            	volatile char scratch[n + 1];
            	scratch[0] = 1;
            	return scratch[0] ? XDP_PASS : XDP_DROP;
            }
            """, "llvm-fatal-daemon");
        // Bitcode, so that the original is Kecleon's own compilation (clang would die in its own process first).
        var bitcode = TestEnvironment.TempFile(".bc", "llvm-fatal-daemon");
        File.WriteAllBytes(bitcode, Clang.CompileToBitcode(source, []));
        var config = EndToEndTests.Config(pair, ShutdownPolicy.Keep) with
        {
            Targets = [new TargetConfig { Name = "fatal", Source = bitcode, Interface = pair.HostEnd, Attach = true }],
            ProfileWindow = TimeSpan.Zero,
            MaxBackoff = TimeSpan.FromMilliseconds(300), // a fatal error waits the longest back-off at once
        };
        using var host = EndToEndTests.BuildHost(config, _ => [Programs.Frame(0x0800)]);
        var daemon = host.Services.GetRequiredService<KecleonService>();
        await host.StartAsync();
        try
        {
            var failing = await EndToEndTests.WaitFor(daemon, t => t.Failures >= 2, TimeSpan.FromSeconds(30), "two failed attempts");
            output.WriteLine(string.Join(" | ", failing.RecentFailures.Select(f => $"{f.Stage}: {f.Reason}")));
            Assert.All(failing.RecentFailures, f => Assert.Contains(
                "LLVM reported a fatal error while generating BPF code for", f.Reason, StringComparison.Ordinal));
            Assert.Contains("Unsupported dynamic stack allocation", failing.RecentFailures[^1].Reason, StringComparison.Ordinal);
            Assert.Equal(0, failing.Swaps);
            Assert.False(host.Services.GetRequiredService<IHostApplicationLifetime>().ApplicationStopping.IsCancellationRequested);
        }
        finally
        {
            await host.StopAsync();
        }
    }
}
