using Kecleon.Bench.Live;
using Kecleon.Bpf;
using Kecleon.FrontEnd;
using Kecleon.Tests;
using Xunit;

namespace Kecleon.Cli.Tests;

/// <summary>A program that makes LLVM report a fatal error (a variable-length array: the BPF back end has no dynamic
/// stack allocation and calls report_fatal_error): every command ends with a clear error naming the stage and the
/// program, exit 65, and no "LLVM ERROR" abort (exit 134).</summary>
public sealed class LlvmFatalErrorTests
{
    private const string Reason = "Unsupported dynamic stack allocation";

    private static readonly string Bitcode = WriteBitcode();

    private static string WriteBitcode()
    {
        var source = TestEnvironment.WriteC(Programs.Prelude + """

            SEC("xdp") int variable_length(struct xdp_md *ctx)
            {
            	int n = (ctx->data_end - ctx->data) & 15;
            	volatile char scratch[n + 1];
            	scratch[0] = 1;
            	return scratch[0] ? XDP_PASS : XDP_DROP;
            }
            """, "llvm-fatal");
        var path = TestEnvironment.TempFile(".bc", "llvm-fatal");
        File.WriteAllBytes(path, Clang.CompileToBitcode(source, []));
        return path;
    }

    private static void AssertFatal(KecleonProcess.Result run, string stage)
    {
        Assert.True(run.ExitCode == ExitCodes.BadInput, run.Output);
        Assert.Contains($"LLVM reported a fatal error while {stage} {Path.GetFileName(Bitcode)}: {Reason}", run.Stderr);
        Assert.DoesNotContain("LLVM ERROR", run.Output);
        Assert.DoesNotContain("   at ", run.Output); // no stack trace
    }

    [Fact]
    public void Compile_and_analyze_report_the_fatal_error_and_exit_65()
    {
        AssertFatal(KecleonProcess.Run("compile", Bitcode, "-o", TestEnvironment.TempFile(".o")), "generating BPF code for");
        AssertFatal(KecleonProcess.Run("analyze", Bitcode), "generating BPF code for");
    }

    [Fact]
    [Trait("Tier", "Kernel")]
    public void Optimize_profile_bench_and_diff_report_the_fatal_error_and_optimize_attaches_nothing()
    {
        using var pair = VethPair.Create();
        var run = KecleonProcess.Run("optimize", Bitcode, "--attach", pair.HostEnd, "--pin-root", pair.PinDirectory);
        AssertFatal(run, "generating BPF code for");
        Assert.Equal(0u, BpfXdp.Query(BpfXdp.InterfaceIndex(pair.HostEnd)).ProgramId);

        var trace = TestEnvironment.TempFile(".pcap", "llvm-fatal");
        File.WriteAllBytes(trace, PcapFiles.Classic([Programs.Frame(0x0800)]));
        AssertFatal(KecleonProcess.Run("profile", Bitcode, "--pcap", trace, "--out", TestEnvironment.TempFile(".json")), "generating BPF code for");
        AssertFatal(KecleonProcess.Run("bench", Bitcode, "--pcap", trace, "--rounds", "1", "--loads", "1"), "generating BPF code for");
        AssertFatal(KecleonProcess.Run("diff", Bitcode, Bitcode, "--trace", trace), "generating BPF code for");
    }
}
