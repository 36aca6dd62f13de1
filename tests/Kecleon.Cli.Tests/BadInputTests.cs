using Kecleon.Tests;
using Xunit;

namespace Kecleon.Cli.Tests;

/// <summary>Bad inputs one by one, each with the exit code and the words its message must have: numbers out of range,
/// unwritable outputs, malformed captures, 'all' where one is needed, daemon configurations with nulls and huge
/// durations, a pin folder off bpffs, and every kernel command run as an unprivileged user.</summary>
public sealed class BadInputTests
{
    private static readonly string Program = TestEnvironment.WriteC(Programs.Prelude + "\nSEC(\"xdp\") int pass(struct xdp_md *ctx) { return XDP_PASS; }\n", "bad-input");

    private static string Packet()
    {
        var path = TestEnvironment.TempFile(".bin");
        File.WriteAllBytes(path, Programs.Frame(0x0800));
        return path;
    }

    private static string WriteFile(string extension, byte[] bytes)
    {
        var path = TestEnvironment.TempFile(extension);
        File.WriteAllBytes(path, bytes);
        File.SetUnixFileMode(path, (UnixFileMode)0b110_100_100);
        return path;
    }

    private static string Config(string json) => WriteFile(".json", System.Text.Encoding.UTF8.GetBytes(json));

    private static string MissingFolder() => $"/nonexistent-kecleon-{Guid.NewGuid():N}";

    [Theory]
    [InlineData("99999999999")]
    [InlineData("2147483648")]
    [InlineData("abc")]
    [InlineData("0")]
    [InlineData("-5")]
    public void Repeat_out_of_range_is_a_usage_error(string repeat)
    {
        var r = KecleonProcess.Run("run", Program, "--packet", Packet(), "--repeat", repeat);
        AssertUsage(r, "--repeat");
    }

    [Fact]
    public void Negative_and_huge_counts_are_usage_errors()
    {
        AssertUsage(KecleonProcess.Run("run", Program, "--packet", Packet(), "--index", "-1"), "--index");
        AssertUsage(KecleonProcess.Run("bench", "--packets", "-1"), "--packets");
        AssertUsage(KecleonProcess.Run("bench", "--packets", "2147483647"), "--packets takes a whole number from 1 to 1000000");
        AssertUsage(KecleonProcess.Run("optimize", Program, "--prog-id", "1", "--check-packets", "-1"), "--check-packets");
        AssertUsage(KecleonProcess.Run("diff", Program, Program, "--fuzz", "3", "--maps-every", "-3"), "--maps-every");
        AssertUsage(KecleonProcess.Run("profile", "--windows", "0", "--out", TestEnvironment.TempFile(".json")), "--windows");
        AssertUsage(KecleonProcess.Run("profile", "--sample-shift", "4", "--branch-sample-shift", "2", "--out", TestEnvironment.TempFile(".json")),
            "--branch-sample-shift must be at least --sample-shift");
    }

    [Fact]
    public void Outputs_in_a_missing_folder_exit_73_and_create_no_folder()
    {
        var folder = MissingFolder();
        AssertError(KecleonProcess.Run("compile", Program, "-o", $"{folder}/x.o"), ExitCodes.CannotCreate, "does not exist");
        AssertError(KecleonProcess.Run("analyze", Program, "--dot", $"{folder}/a.dot"), ExitCodes.CannotCreate, "--dot");
        AssertError(KecleonProcess.Run("analyze", Program, "--svg", $"{folder}/a.svg"), ExitCodes.CannotCreate, "--svg");
        AssertError(KecleonProcess.Run("profile", "--out", $"{folder}/p.json"), ExitCodes.CannotCreate, "--out");
        AssertError(KecleonProcess.Run("bench", "--report", $"{folder}/r.html"), ExitCodes.CannotCreate, "--report");
        AssertError(KecleonProcess.Run("sample", "trace", "router", "-o", $"{folder}/t.pcap"), ExitCodes.CannotCreate, "--output");
        AssertError(KecleonProcess.Run("compile", Program, "-o", Path.GetTempPath()), ExitCodes.CannotCreate, "is a folder");
        Assert.False(Directory.Exists(folder));
    }

    [Fact]
    public void Captures_a_frame_cannot_run_are_refused_with_the_record_named()
    {
        var zero = WriteFile(".pcap", PcapFiles.Classic([Programs.Frame(0x0800), []]));
        AssertError(KecleonProcess.Run("run", Program, "--packet", zero, "--index", "1"), ExitCodes.BadInput, "packet 1 has 0 bytes");
        AssertError(KecleonProcess.Run("diff", Program, Program, "--trace", zero), ExitCodes.BadInput, "packet 1 has 0 bytes");

        var pcapng = WriteFile(".pcapng", PcapFiles.Pcapng());
        AssertError(KecleonProcess.Run("run", Program, "--packet", pcapng), ExitCodes.BadInput, "pcapng");
        AssertError(KecleonProcess.Run("diff", Program, Program, "--trace", pcapng), ExitCodes.BadInput, "pcapng");

        var longer = WriteFile(".pcap", PcapFiles.Classic([Programs.Frame(0x0800)], originalLength: 20));
        AssertError(KecleonProcess.Run("run", Program, "--packet", longer), ExitCodes.BadInput, "claims 64 captured bytes of a 20-byte packet");

        var empty = WriteFile(".pcap", PcapFiles.Classic([]));
        AssertError(KecleonProcess.Run("diff", Program, Program, "--trace", empty), ExitCodes.BadInput, "no packets");
        AssertError(KecleonProcess.Run("run", Program, "--packet", Path.GetTempPath()), ExitCodes.NoInput, "is a folder");
    }

    [Fact]
    public void All_where_one_is_needed_and_unknown_names_are_usage_errors()
    {
        AssertUsage(KecleonProcess.Run("diff", Program, Program, "--sample", "all"), "one sample at a time");
        AssertUsage(KecleonProcess.Run("diff", Program, Program, "--sample", "router", "--locality", "all"), "one trace");
        AssertUsage(KecleonProcess.Run("demo", "--sample", "all"), "one sample at a time");
        AssertUsage(KecleonProcess.Run("sample", "trace", "all", "-o", TestEnvironment.TempFile(".pcap")), "one sample at a time");
        AssertUsage(KecleonProcess.Run("sample", "load", "all"), "one sample at a time");
        AssertUsage(KecleonProcess.Run("profile", "--sample", "all", "--out", TestEnvironment.TempFile(".json")), "one sample and one locality");
        AssertUsage(KecleonProcess.Run("bench", "--sample", "nope"), "--sample takes router, switch, balancer, firewall, ddos, chain, all, not 'nope'");
        AssertUsage(KecleonProcess.Run("bench", "--locality", "nope"), "--locality takes high, low, none, all, not 'nope'");
        AssertUsage(KecleonProcess.Run("bench", Program), "needs a trace");
        AssertUsage(KecleonProcess.Run("bench", "--sample", "router", "--no-in-place"), "--duration, --write-every and --no-in-place go with --churn");
        AssertUsage(KecleonProcess.Run("diff", Program, Program), "the variants need packets");
        AssertUsage(KecleonProcess.Run("optimize", Program, "--attach", "kcl-no-such0"), "no network interface");
        AssertUsage(KecleonProcess.Run("status", "--socket", "/tmp/" + new string('s', 120)), "at most 107");
    }

    [Fact]
    public void Daemon_configurations_with_nulls_or_huge_durations_are_named()
    {
        const string target = """{ "name": "t", "source": "sample:router", "interface": "kclnone0" }""";
        AssertError(KecleonProcess.Run("daemon", "--config", Config($$"""{ "targets": [ {{target}} ], "period": "99999999999h" }""")),
            ExitCodes.BadInput, "'99999999999h' is not a duration");
        AssertError(KecleonProcess.Run("daemon", "--config", Config($$"""{ "targets": [ {{target}} ], "period": "NaNs" }""")),
            ExitCodes.BadInput, "is not a duration");
        AssertError(KecleonProcess.Run("daemon", "--config", Config($$"""{ "targets": [ {{target}} ], "period": "30d" }""")),
            ExitCodes.BadInput, "is not a duration");
        AssertError(KecleonProcess.Run("daemon", "--config", Config($$"""{ "targets": [ {{target}} ], "period": "48h" }""")),
            ExitCodes.BadInput, "durations are at most 24h");
        AssertError(KecleonProcess.Run("daemon", "--config", Config("""{ "targets": null }""")), ExitCodes.BadInput, "no targets");
        AssertError(KecleonProcess.Run("daemon", "--config", Config("""{ "targets": [null] }""")), ExitCodes.BadInput, "\"targets\" holds a null");
        AssertError(KecleonProcess.Run("daemon", "--config", Config($$"""{ "targets": [ {{target}} ], "metrics": null, "pin_root": null }""")),
            ExitCodes.BadInput, "metrics is null");
        AssertError(KecleonProcess.Run("daemon", "--config", Path.GetTempPath()), ExitCodes.NoInput, "is a folder");
    }

    [Fact]
    public void A_pin_folder_off_bpffs_is_named_not_taken_for_a_missing_privilege()
    {
        var folder = Directory.CreateTempSubdirectory("kecleon-not-bpffs-").FullName;
        AssertUsage(KecleonProcess.Run("optimize", Program, "--prog-id", "1", "--pin-root", folder), $"{folder} is not on a bpffs mount");
        AssertUsage(KecleonProcess.Run("sample", "load", "router", "--pin-dir", folder), $"{folder} is not on a bpffs mount");
        var config = Config($$"""
            { "targets": [ { "name": "t", "source": "sample:router", "interface": "kclnone0" } ], "metrics": "", "pin_root": "{{folder}}" }
            """);
        AssertError(KecleonProcess.Run("daemon", "--config", config), ExitCodes.BadInput, $"pin_root: {folder} is not on a bpffs mount");
        Directory.Delete(folder);
    }

    [Fact]
    public void Not_root_every_kernel_command_exits_77_with_the_capabilities_it_needs()
    {
        var packet = Packet();
        File.SetUnixFileMode(packet, (UnixFileMode)0b110_100_100);
        var config = Config("""
            { "targets": [ { "name": "t", "source": "sample:router", "interface": "kclnone0" } ], "metrics": "",
              "status_socket": "/tmp/kecleon-tests/not-root.sock", "pin_root": "/sys/fs/bpf/kecleon-not-root" }
            """);
        string[][] commands =
        [
            ["optimize", Program, "--attach", "lo"],
            ["optimize", Program, "--prog-id", "1"],
            ["optimize", Program, "--pin", "/sys/fs/bpf/kecleon-not-root/link"],
            ["optimize", Program, "--prog-id", "1", "--restore"],
            ["daemon", "--config", config],
            ["demo"],
            ["demo", "--bench"],
            ["run", Program, "--packet", packet],
            ["bench", "--rounds", "1"],
            ["profile", "--out", "/tmp/kecleon-tests/not-root-profile.json"],
            ["diff", Program, Program, "--fuzz", "3"],
            ["sample", "load", "router"],
        ];
        foreach (var args in commands)
        {
            var r = KecleonProcess.RunAsNobody(args);
            Assert.True(r.ExitCode == ExitCodes.NoPermission, $"kecleon {string.Join(' ', args)}: exit {r.ExitCode}, expected 77:\n{r.Output}");
            Assert.Contains("must run as root, or with CAP_BPF, CAP_PERFMON and CAP_NET_ADMIN", r.Stderr);
            Assert.Single(r.Stderr.TrimEnd().Split('\n'));
        }
        // What needs no kernel works unprivileged.
        var compile = KecleonProcess.RunAsNobody("analyze", Program);
        Assert.True(compile.ExitCode == 0, compile.Output);
    }

    private static void AssertUsage(KecleonProcess.Result r, string text) => AssertError(r, ExitCodes.Usage, text);

    private static void AssertError(KecleonProcess.Result r, int exitCode, string text)
    {
        Assert.True(exitCode == r.ExitCode, $"expected exit {exitCode}, got {r.ExitCode}:\n{r.Output}");
        Assert.Contains(text, r.Stderr);
        Assert.StartsWith("kecleon: ", r.Stderr);
        Assert.DoesNotContain("   at ", r.Output);
        Assert.DoesNotContain("Unhandled exception", r.Output);
    }
}
