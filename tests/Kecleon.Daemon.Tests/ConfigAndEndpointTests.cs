using Kecleon.Daemon;
using Kecleon.Tests;
using Microsoft.Extensions.Logging.Abstractions;
using Xunit;

namespace Kecleon.Daemon.Tests;

/// <summary>The configuration file, the status socket and the metrics endpoint, without any target.</summary>
public sealed class ConfigAndEndpointTests
{
    [Fact]
    public void The_shipped_example_configuration_loads()
    {
        var config = DaemonConfig.Load(Path.Combine(TestEnvironment.RepositoryRoot, "packaging", "kecleon.json"));
        Assert.Equal("router", Assert.Single(config.Targets).Name);
        Assert.Equal(TimeSpan.FromSeconds(30), config.Period);
        Assert.Equal(TimeSpan.FromMilliseconds(2), config.GuardPoll);
        Assert.Equal(ShutdownPolicy.Keep, config.OnShutdown);
    }

    [Fact]
    public void A_tc_target_in_a_namespace_names_its_hook()
    {
        var path = TestEnvironment.TempFile(".json");
        File.WriteAllText(path, """{ "targets": [ { "name": "a", "source": "x.c", "tc": "eth0 egress", "netns": "blue", "attach": true } ] }""");
        var target = Assert.Single(DaemonConfig.Load(path).Targets);
        Assert.Equal("TC egress of eth0 in netns blue", target.Hook);
        Assert.Equal(("eth0", "egress"), target.TcParts);
    }

    [Theory]
    [InlineData("""{ "targets": [] }""", "no targets")]
    [InlineData("""{ "targets": [ { "name": "a", "source": "x.c" } ] }""", "exactly one of")]
    [InlineData("""{ "targets": [ { "name": "a b", "source": "x.c", "interface": "eth0" } ] }""", "letters, digits")]
    [InlineData("""{ "targets": [ { "name": "a", "source": "x.c", "interface": "eth0" } ], "metrics": "0.0.0.0:9464" }""", "loopback")]
    [InlineData("""{ "targets": [ { "name": "a", "source": "x.c", "interface": "eth0" } ], "period": "soon" }""", "not a duration")]
    [InlineData("""{ "targets": [ { "name": "a", "source": "x.c", "interface": "eth0" } ], "perod": "1s" }""", "perod")]
    [InlineData("""{ "targets": null }""", "no targets")]
    [InlineData("""{ "targets": [ null ] }""", "holds a null")]
    [InlineData("""{ "targets": [ { "name": "a", "source": "x.c", "interface": "eth0" } ], "period": "99999999999h" }""", "not a duration")]
    [InlineData("""{ "targets": [ { "name": "a", "source": "x.c", "interface": "eth0" } ], "watch": "25h" }""", "at most 24h")]
    [InlineData("""{ "targets": [ { "name": "a", "source": "x.c", "interface": "eth0" } ], "metrics": null }""", "metrics is null")]
    [InlineData("""{ "targets": [ { "name": "a", "source": "x.c", "interface": "eth0" }, { "name": "a", "source": "y.c", "interface": "eth1" } ] }""", "used 2 times")]
    [InlineData("""{ "targets": [ { "name": "a", "source": "x.c", "program_id": 7, "attach": true } ] }""", "needs \"interface\"")]
    [InlineData("""{ "targets": [ { "name": "a", "source": "x.c", "interface": "eth0", "pcap": "/nonexistent/t.pcap" } ] }""", "no such file /nonexistent/t.pcap")]
    [InlineData("""{ "targets": [ { "name": "a", "source": "x.c", "interface": "eth0", "pcap": [ "" ] } ] }""", "\"pcap\" must be the path")]
    [InlineData("""{ "targets": [ { "name": "a", "source": "x.c", "tc": "eth0 sideways" } ] }""", "\"tc\" is \"IFACE ingress\" or \"IFACE egress\", not \"eth0 sideways\"")]
    [InlineData("""{ "targets": [ { "name": "a", "source": "x.c", "tc": "eth0 ingress", "interface": "eth0" } ] }""", "exactly one of \"interface\", \"tc\"")]
    [InlineData("""{ "targets": [ { "name": "a", "source": "x.c", "pin": "/sys/fs/bpf/l", "netns": "blue" } ] }""", "\"netns\" names the network namespace")]
    [InlineData("""{ "targets": [ { "name": "a", "source": "x.c", "pin": "/sys/fs/bpf/l", "chain": true } ] }""", "from \"pin\" or \"program_id\" it is not supported")]
    [InlineData("""{ "targets": [ { "name": "a", "source": "x.c", "interface": "eth0", "prog_array": "/sys/fs/bpf/p" } ] }""", "exactly one of")]
    [InlineData("""{ "targets": [ { "name": "a", "source": "x.c", "interface": "eth0", "slot": 1 } ] }""", "\"slot\" picks one slot of \"prog_array\"")]
    [InlineData("""{ "targets": [ { "name": "a", "source": "x.c", "interface": "eth0", "fuse": true } ] }""", "it needs \"chain\": true")]
    [InlineData("""{ "targets": [ { "name": "a", "source": "x.c", "prog_array": "/sys/fs/bpf/p", "fuse": true } ] }""", "a PROG_ARRAY alone has no entry")]
    [InlineData("""{ "targets": [ { "name": "a", "source": "x.c", "interface": "eth0", "chain": true, "attach": true } ] }""", "\"attach\" does not load chains")]
    [InlineData("""{ "targets": [ { "name": "a", "source": "x.c", "interface": "eth0", "chain": true, "program": "p" } ] }""", "\"program\" is not used with a chain")]
    [InlineData("""{ "targets": [ { "name": "a", "source": "x.c", "prog_array": "/sys/fs/bpf/p", "netns": "blue" } ] }""", "\"netns\" names the network namespace")]
    public void A_bad_configuration_says_what_is_wrong(string json, string expected)
    {
        var path = TestEnvironment.TempFile(".json");
        File.WriteAllText(path, json);
        var error = Assert.ThrowsAny<KecleonException>(() => DaemonConfig.Load(path));
        Assert.Contains(expected, error.Message);
        Assert.Contains(path, error.Message);
    }

    [Fact]
    public void A_chain_target_names_its_hook()
    {
        var path = TestEnvironment.TempFile(".json");
        File.WriteAllText(path, """
            { "targets": [ { "name": "a", "source": "sample:chain", "interface": "eth0", "chain": true, "fuse": true },
                           { "name": "b", "source": "sample:chain", "prog_array": "/sys/fs/bpf/p", "slot": 2 },
                           { "name": "c", "source": "sample:chain", "prog_array": "/sys/fs/bpf/p" } ] }
            """);
        var config = DaemonConfig.Load(path);
        Assert.Equal("the chain from interface eth0", config.Targets[0].Hook);
        Assert.True(config.Targets[0] is { IsChain: true, Fuse: true });
        Assert.Equal("slot 2 of PROG_ARRAY /sys/fs/bpf/p", config.Targets[1].Hook);
        Assert.Equal("the slots of PROG_ARRAY /sys/fs/bpf/p", config.Targets[2].Hook);
        Assert.False(config.Targets[2].Fuse);
    }

    /// <summary>A target's traces for the check: one path, or a list.</summary>
    [Fact]
    public void A_target_takes_one_trace_or_several()
    {
        var trace = TestEnvironment.TempFile(".pcap");
        File.WriteAllBytes(trace, []);
        var path = TestEnvironment.TempFile(".json");
        File.WriteAllText(path, $$"""
            { "targets": [ { "name": "a", "source": "x.c", "interface": "eth0", "pcap": "{{trace}}" },
                           { "name": "b", "source": "x.c", "interface": "eth1", "pcap": [ "{{trace}}", "{{trace}}" ] },
                           { "name": "c", "source": "x.c", "interface": "eth2" } ] }
            """);
        var config = DaemonConfig.Load(path);
        Assert.Equal([trace], config.Targets[0].Pcap);
        Assert.Equal([trace, trace], config.Targets[1].Pcap);
        Assert.Empty(config.Targets[2].Pcap);
    }

    [Fact]
    public void A_missing_configuration_names_the_file()
    {
        var error = Assert.Throws<InputNotFoundException>(() => DaemonConfig.Load("/nonexistent/kecleon.json"));
        Assert.Contains("/nonexistent/kecleon.json", error.Message);
    }

    internal static DaemonSnapshot Sample() => Sample(null);

    /// <summary>One target that swapped, was invalidated, re-specialized and failed once; <paramref name="events"/> is told.</summary>
    internal static DaemonSnapshot Sample(ITargetEvents? events)
    {
        var status = new TargetStatus("router", "interface veth0") { Events = events };
        status.Programs(42, 41);
        status.Measured(40, 20);
        status.Swapped(new CycleTimes(1, 2, 3, 4, 5, 6, 7, 8, 0.1), ["routes"]);
        status.Set(TargetState.Optimized, "live");
        status.Invalidated();
        status.Respecialized(TimeSpan.FromMilliseconds(30));
        status.Reacted(ReactionKind.Rebuild, TimeSpan.FromMilliseconds(32), [("wake", TimeSpan.FromMilliseconds(0.5)), ("check", TimeSpan.FromMilliseconds(8))]);
        status.Reacted(ReactionKind.InPlace, TimeSpan.FromMilliseconds(1.5), [("wake", TimeSpan.FromMilliseconds(0.25)), ("flip", TimeSpan.FromMilliseconds(0.75))]);
        status.Failed("optimize", "the verifier rejected it");
        return new DaemonSnapshot(DateTimeOffset.UtcNow, "tracepoints", [status.Snapshot(), Chain(events)]);
    }

    /// <summary>A chain kept per stage: its entry and one stage optimized, the last stage left as it is.</summary>
    private static TargetSnapshot Chain(ITargetEvents? events)
    {
        var chain = new TargetStatus("chain", "the chain from interface veth1");
        chain.Set(TargetState.Optimized, "3 stage(s)");
        chain.Programs(50, 50);
        var entry = new TargetStatus("chain", "XDP bpf_link 9 on veth1") { Stage = "chain_ddos", Place = "entry", Events = events };
        entry.Programs(60, 50);
        entry.Set(TargetState.Optimized, "live");
        var firewall = new TargetStatus("chain", "slot 1 of PROG_ARRAY chain_slots (map id 7)") { Stage = "chain_firewall", Place = "slot 1 of chain_slots (map id 7)", Events = events };
        firewall.Programs(61, 51);
        firewall.Swapped(new CycleTimes(1, 2, 3, 4, 5, 6, 7, 8, 0.1), ["fw_rules"]);
        firewall.Set(TargetState.Optimized, "live");
        var router = new TargetStatus("chain", "slot 2 of PROG_ARRAY chain_slots (map id 7)") { Stage = "chain_router", Place = "slot 2 of chain_slots (map id 7)" };
        router.Programs(52, 52);
        router.Set(TargetState.Original, "nothing to specialize");
        return chain.Snapshot() with { Stages = [entry.Snapshot(), firewall.Snapshot(), router.Snapshot()], Fused = false };
    }

    [Fact]
    public async Task The_status_socket_serves_the_snapshot_to_root_only()
    {
        var path = Path.Combine(Path.GetTempPath(), "kecleon-tests", $"status-{Guid.NewGuid():N}", "k.sock");
        await using (StatusServer.Start(path, Sample, NullLogger.Instance))
        {
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(path));
            var status = StatusServer.Query(path, TimeSpan.FromSeconds(5));
            var target = status.Targets[0];
            Assert.Equal(TargetState.Optimized, target.State);
            Assert.Equal(2.0, target.Speedup);
            Assert.Equal("the verifier rejected it", Assert.Single(target.RecentFailures).Reason);
            Assert.Null(target.Stages);
            var chain = status.Targets[1];
            Assert.False(chain.Fused);
            Assert.Equal(["chain_ddos", "chain_firewall", "chain_router"], chain.Stages!.Select(s => s.Stage));
            Assert.Equal(61u, chain.Stages![1].LiveProgramId);
            var text = StatusServer.Text(status);
            Assert.Contains("2.00x", text);
            Assert.Contains("median 30.0 ms", text);
            Assert.Contains("rebuilds 1: write → live median 32.00 ms, p99 32.00 ms", text);
            Assert.Contains("in-place updates 1: write → live median 1.50 ms", text);
            Assert.Contains("stages (median/p99 ms): wake 0.25/0.25, flip 0.75/0.75", text);
            Assert.Equal([ReactionKind.InPlace, ReactionKind.Rebuild], target.Reactions.Select(r => r.Kind));
            Assert.Equal(0.5, target.Reactions[1].Stages[0].Ms.Median);
            Assert.Contains("3 stage(s), each optimized in its place:", text);
            Assert.Contains("chain_firewall (slot 1 of PROG_ARRAY chain_slots (map id 7)): optimized", text);
            Assert.Contains("chain_ddos (entry: XDP bpf_link 9 on veth1): optimized", text);
        }
        Assert.False(File.Exists(path));
        var gone = Assert.ThrowsAny<KecleonException>(() => StatusServer.Query(path, TimeSpan.FromSeconds(1)));
        Assert.Contains("no Kecleon daemon answers", gone.Message);
    }

}
