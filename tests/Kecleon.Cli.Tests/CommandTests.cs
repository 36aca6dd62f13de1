using Kecleon.Tests;
using Xunit;

namespace Kecleon.Cli.Tests;

/// <summary>The commands as a user runs them, including every kind of bad input: a clear message and exit code, never a
/// stack trace.</summary>
public sealed class CommandTests
{
    private static readonly string Source = TestEnvironment.WriteC(Programs.EtherTypeVerdict, "cli");

    private static string Packet()
    {
        var path = TestEnvironment.TempFile(".bin");
        File.WriteAllBytes(path, Programs.Frame(0x0800));
        return path;
    }

    [Trait("Tier", "Kernel")]
    [Fact]
    public void Compile_writes_an_object_that_run_loads()
    {
        var output = TestEnvironment.TempFile(".o");
        var compile = KecleonProcess.Run("compile", Source, "-o", output, "--cpu", "v2");
        Assert.True(compile.ExitCode == 0, compile.Output);
        Assert.Contains("code generation", compile.Stdout);
        Assert.True(new FileInfo(output).Length > 0);

        var run = KecleonProcess.Run("run", Source, "--packet", Packet(), "--repeat", "10");
        Assert.True(run.ExitCode == 0, run.Output);
        Assert.Contains("verdict  XDP_PASS (2)", run.Stdout);
        Assert.Contains("ns/run", run.Stdout);
        var baseline = KecleonProcess.Run("run", Source, "--packet", Packet(), "--baseline");
        Assert.Contains("baseline object", baseline.Stdout);
    }

    [Fact]
    public void Missing_file()
    {
        var r = KecleonProcess.Run("compile", "/nonexistent/prog.c", "-o", TestEnvironment.TempFile(".o"));
        AssertCleanError(r, ExitCodes.NoInput, "no such file");
    }

    [Fact]
    public void C_that_does_not_compile_shows_clangs_diagnostics()
    {
        var bad = TestEnvironment.WriteC(Programs.Prelude + "\nint f(void) { return nope; }\n");
        var r = KecleonProcess.Run("compile", bad, "-o", TestEnvironment.TempFile(".o"));
        AssertCleanError(r, ExitCodes.BadInput, "clang could not compile it");
        Assert.Contains("use of undeclared identifier 'nope'", r.Stderr);
    }

    [Fact]
    public void Ir_that_does_not_parse()
    {
        var ll = TestEnvironment.TempFile(".ll");
        File.WriteAllText(ll, "define i32 @f( {");
        AssertCleanError(KecleonProcess.Run("compile", ll, "-o", TestEnvironment.TempFile(".o")), ExitCodes.BadInput, "does not parse");
    }

    [Fact]
    public void Object_without_llvmbc_says_how_to_build_one()
    {
        var obj = TestEnvironment.TempFile(".o");
        File.WriteAllBytes(obj, Kecleon.FrontEnd.ProgramSource.Read(Source).BuildBaselineObject());
        AssertCleanError(KecleonProcess.Run("compile", obj, "-o", TestEnvironment.TempFile(".o")), ExitCodes.BadInput, "-fembed-bitcode");
    }

    [Trait("Tier", "Kernel")]
    [Fact]
    public void A_program_the_verifier_rejects_shows_the_log()
    {
        var bad = TestEnvironment.WriteC(Programs.Prelude + """

            SEC("xdp")
            int oob(struct xdp_md *ctx) { return ((unsigned char *)(long)ctx->data)[200]; }
            """);
        var r = KecleonProcess.Run("run", bad, "--packet", Packet());
        AssertCleanError(r, ExitCodes.Rejected, "verifier rejected");
        Assert.Contains("invalid access to packet", r.Stderr);
    }

    [Fact]
    public void Not_root_is_told_what_privileges_are_needed()
    {
        var packet = Packet();
        File.SetUnixFileMode(packet, (UnixFileMode)0b110_100_100);
        AssertCleanError(KecleonProcess.RunAsNobody("run", Source, "--packet", packet), ExitCodes.NoPermission, "must run as root");
    }

    [Fact]
    public void A_missing_native_library_names_the_package_to_install()
    {
        var r = KecleonProcess.Run(["compile", Source, "-o", TestEnvironment.TempFile(".o")],
            new Dictionary<string, string> { ["KECLEON_LIBLLVM"] = "/nonexistent/libLLVM-14.so.1" });
        AssertCleanError(r, ExitCodes.Unavailable, "apt-get install libllvm14");
        r = KecleonProcess.Run(["run", Source, "--packet", Packet()],
            new Dictionary<string, string> { ["KECLEON_LIBBPF"] = "/nonexistent/libbpf.so.1" });
        AssertCleanError(r, ExitCodes.Unavailable, "apt-get install libbpf1");
    }

    [Fact]
    public void Usage_errors_point_to_help()
    {
        var r = KecleonProcess.Run("run", Source);
        Assert.Equal(ExitCodes.Usage, r.ExitCode);
        Assert.Contains("--packet", r.Stderr);
        Assert.Contains("kecleon --help", r.Stderr);
        Assert.Equal(ExitCodes.Usage, KecleonProcess.Run("compile", Source, "-o", "x.o", "--cpu", "v9").ExitCode);
    }

    private static void AssertCleanError(KecleonProcess.Result r, int exitCode, string text)
    {
        Assert.True(exitCode == r.ExitCode, $"expected exit {exitCode}, got {r.ExitCode}:\n{r.Output}");
        Assert.Contains(text, r.Stderr);
        Assert.StartsWith("kecleon: error:", r.Stderr);
        Assert.DoesNotContain("   at ", r.Output); // no stack trace
    }
}
