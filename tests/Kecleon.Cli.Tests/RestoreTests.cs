using System.Globalization;
using System.Net.Sockets;
using System.Text.Json;
using System.Text.RegularExpressions;
using Kecleon.Bench.Live;
using Kecleon.Bpf;
using Kecleon.Daemon;
using Xunit;

namespace Kecleon.Cli.Tests;

/// <summary>
/// <c>kecleon restore</c> against each way a program can be attached: optimize, then restore, and what bpftool sees
/// (the program on the hook, the interface's links, the pins under the pin root) is what it saw before the optimize.
/// The restore is the hint the optimize printed, run verbatim, or one of the other target forms.
/// </summary>
[Trait("Tier", "Kernel")]
public sealed partial class RestoreTests : IDisposable
{
    private readonly string _tag = Guid.NewGuid().ToString("N")[..6];
    private readonly string _iface;
    private readonly string _root;
    private readonly string _userPin;
    private readonly int _ifindex;

    public RestoreTests()
    {
        _iface = $"ops-r{_tag}";
        _root = $"/sys/fs/bpf/ops-restore-{_tag}";
        _userPin = $"/sys/fs/bpf/ops-user-{_tag}";
        VethPair.Ip($"link add {_iface} type veth peer name ops-p{_tag}");
        VethPair.Ip($"link set {_iface} up");
        VethPair.Ip($"link set ops-p{_tag} up");
        _ifindex = BpfXdp.InterfaceIndex(_iface);
    }

    public void Dispose()
    {
        try
        {
            VethPair.Ip($"link del {_iface}");
        }
        catch (InvalidOperationException)
        {
            // gone already
        }
        File.Delete(_userPin);
        if (Directory.Exists(_root))
            Directory.Delete(_root, recursive: true);
        VethPair.RemoveLockFiles(_root);
    }

    /// <summary>What bpftool shows of the interface (its XDP, tc and tcx programs), its links, and the pins under the
    /// pin root.</summary>
    private string State()
    {
        var net = VethPair.Run("bpftool", $"net show dev {_iface} -j").Trim();
        using var links = JsonDocument.Parse(VethPair.Run("bpftool", "link show -j"));
        var own = links.RootElement.EnumerateArray()
            .Where(l => l.TryGetProperty("ifindex", out var i) && i.GetInt32() == _ifindex)
            .Select(l => $"link {l.GetProperty("id")} {l.GetProperty("type")} prog {l.GetProperty("prog_id")}")
            .Order(StringComparer.Ordinal);
        var pins = Directory.Exists(_root)
            ? Directory.GetFileSystemEntries(_root, "*", SearchOption.AllDirectories).Order(StringComparer.Ordinal).Select(p => "pin " + p)
            : [];
        return string.Join("\n", new[] { net }.Concat(own).Concat(pins)); // no pins: an empty pin root or none at all
    }

    private static KecleonProcess.Result Ok(params string[] args) => HookTests.Ok(args);

    private static void FillMap(uint programId, string mapName, byte[] key)
    {
        using var program = BpfFd.OpenProgramById(programId);
        foreach (var id in BpfProgramInfo.FromFd(program.Value).MapIds)
        {
            using var map = BpfLoadedMap.OpenById(id);
            if (map.Name == mapName)
                map.Update(key, new byte[map.ValueSize]);
        }
    }

    private static void BlockOneSource(uint programId) => FillMap(programId, "blocked_sources", [10, 0, 0, 1]);

    /// <summary>The hint's command, as printed (`kecleon restore …`), run as it is.</summary>
    private static KecleonProcess.Result RunHint(string stdout)
    {
        var hint = Hint().Match(stdout);
        Assert.True(hint.Success, stdout);
        var words = hint.Groups[1].Value.Split(' ');
        Assert.Equal("kecleon", words[0]);
        return Ok(words[1..]);
    }

    [GeneratedRegex("undo with `([^`]+)`")]
    private static partial Regex Hint();

    private static string Id(uint id) => id.ToString(CultureInfo.InvariantCulture);

    [Fact]
    public void An_xdp_link_another_loader_pinned_is_back_as_it_was_by_the_printed_hint()
    {
        var obj = HookTests.Object("xdp_netns");
        uint originalId;
        using (var loaded = BpfObject.OpenFile(obj))
        {
            loaded.Load();
            var program = loaded.Program("xdp_netns");
            using var link = BpfXdp.CreateLink(program.Fd, _ifindex);
            BpfFd.Pin(link.Value, _userPin);
            originalId = BpfProgramInfo.FromFd(program.Fd).Id;
        }
        BlockOneSource(originalId);
        var before = State();

        var optimized = Ok("optimize", obj, "--prog-id", Id(originalId), "--pin-root", _root, "--check-packets", "100");
        Assert.Contains("BPF_LINK_UPDATE", optimized.Stdout);
        Assert.Contains($"undo with `kecleon restore --prog-id {originalId} --pin-root {_root}`", optimized.Stdout);
        Assert.NotEqual(before, State());

        var restored = RunHint(optimized.Stdout);
        Assert.Contains($"-> {originalId}", restored.Stdout);
        Assert.Contains("guard table's hook and pins", restored.Stdout);
        Assert.Equal(before, State());
        using (var pinned = BpfFd.OpenPinned(_userPin))
            Assert.Equal(originalId, BpfLinkInfo.FromFd(pinned.Value).ProgramId);

        // Idempotent: again, nothing changes and it says so.
        var again = RunHint(optimized.Stdout);
        Assert.Contains("nothing to restore", again.Output);
        Assert.Equal(before, State());
    }

    [Fact]
    public void A_netlink_xdp_program_is_back_in_its_mode_and_a_link_Kecleon_attached_is_gone()
    {
        var obj = HookTests.Object("xdp_netns");
        VethPair.Run("ip", $"link set dev {_iface} xdpgeneric obj {obj} sec xdp");
        var originalId = BpfXdp.Query(_ifindex).ProgramId;
        BlockOneSource(originalId);
        var before = State();

        Ok("optimize", obj, "--attach", _iface, "--pin-root", _root, "--check-packets", "100");
        Assert.NotEqual(originalId, BpfXdp.Query(_ifindex).ProgramId);
        var restored = Ok("restore", "--attach", _iface, "--pin-root", _root);
        Assert.Contains($"-> {originalId}", restored.Stdout);
        Assert.Equal(before, State());
        Assert.Equal(XdpAttachMode.Generic, BpfXdp.Query(_ifindex).Mode);

        // The interface ran nothing: Kecleon attaches the input with a link of its own; restore takes that link away too.
        VethPair.Run("ip", $"link set dev {_iface} xdpgeneric off");
        var empty = State();
        var attached = Ok("optimize", obj, "--attach", _iface, "--pin-root", _root, "--check-packets", "100");
        Assert.Contains("attached it to", attached.Stdout);
        var undone = RunHint(attached.Stdout);
        Assert.Contains("removed the link Kecleon had attached", undone.Stdout);
        Assert.Equal(empty, State());
        Assert.Equal(0u, BpfXdp.Query(_ifindex).ProgramId);
        Assert.Contains("nothing to restore", Ok("restore", "--attach", _iface, "--pin-root", _root).Output);
    }

    [Fact]
    public void A_tcx_link_another_loader_pinned_is_back_through_optimize_restore()
    {
        var obj = HookTests.Object("tc_classifier");
        uint originalId;
        using (var loaded = BpfObject.OpenFile(obj))
        {
            loaded.Load();
            var program = loaded.Program("tc_classifier");
            using var link = BpfTc.CreateTcxLink(program.Fd, _ifindex, TcDirection.Ingress);
            BpfFd.Pin(link.Value, _userPin);
            originalId = BpfProgramInfo.FromFd(program.Fd).Id;
        }
        HookTests.AllowPort80(originalId);
        var before = State();

        Ok("optimize", obj, "--prog-id", Id(originalId), "--pin-root", _root, "--check-packets", "100");
        Assert.NotEqual(originalId, Assert.Single(BpfTc.TcxProgramIds(_ifindex, TcDirection.Ingress)));
        var restored = Ok("optimize", obj, "--pin", _userPin, "--pin-root", _root, "--restore");
        Assert.Contains($"-> {originalId}", restored.Stdout);
        Assert.Equal(before, State());
    }

    [Fact]
    public void A_cls_bpf_filter_is_back_in_place_by_restore_all_and_json_says_what_was_done()
    {
        var obj = HookTests.Object("tc_classifier");
        VethPair.Run("tc", $"qdisc add dev {_iface} clsact");
        VethPair.Run("tc", $"filter add dev {_iface} egress bpf da obj {obj} sec tc");
        var originalId = Assert.Single(BpfTc.ClsBpfFilters(_ifindex, TcDirection.Egress)).ProgramId;
        HookTests.AllowPort80(originalId);
        var before = State();

        Ok("optimize", obj, "--attach", _iface, "--tc", "egress", "--pin-root", _root, "--check-packets", "100");
        Assert.NotEqual(before, State());
        var restored = Ok("restore", "--all", "--pin-root", _root, "--json");
        using (var json = JsonDocument.Parse(restored.Stdout))
        {
            var target = Assert.Single(json.RootElement.GetProperty("restored").EnumerateArray());
            Assert.Equal(originalId, target.GetProperty("swap").GetProperty("to_program_id").GetUInt32());
            Assert.False(target.GetProperty("detached_kecleon_link").GetBoolean());
            Assert.True(json.RootElement.GetProperty("guards").GetProperty("removed").GetBoolean());
        }
        Assert.Equal(before, State());
        Assert.Contains("nothing to restore", Ok("restore", "--all", "--pin-root", _root).Output);
    }

    [Fact]
    public async Task A_target_a_running_daemon_manages_is_refused_by_name_until_the_daemon_stops()
    {
        var obj = HookTests.Object("xdp_netns");
        VethPair.Run("ip", $"link set dev {_iface} xdpgeneric obj {obj} sec xdp");
        var originalId = BpfXdp.Query(_ifindex).ProgramId;
        BlockOneSource(originalId);
        Ok("optimize", obj, "--attach", _iface, "--pin-root", _root, "--check-packets", "100");
        var live = BpfXdp.Query(_ifindex).ProgramId;

        // A stand-in for the daemon's status socket: it answers one status, as the daemon does, per connection.
        var folder = $"/run/ops-restore-{_tag}";
        Directory.CreateDirectory(folder);
        var path = Path.Combine(folder, "status.sock");
        var status = new DaemonSnapshot(DateTimeOffset.UtcNow, "test", [
            new TargetSnapshot("edge", $"XDP on {_iface} by netlink (generic mode)", TargetState.Optimized, null, live, originalId, null, null, null,
                1, 0, 0, 0, 0, [], null, [], []),
        ]);
        var answer = System.Text.Encoding.UTF8.GetBytes(StatusServer.Json(status));
        try
        {
            using (var listener = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified))
            {
                listener.Bind(new UnixDomainSocketEndPoint(path));
                listener.Listen();
                var serving = Task.Run(() =>
                {
                    using var client = listener.Accept();
                    client.Send(answer);
                    client.Shutdown(SocketShutdown.Both);
                });
                var refused = KecleonProcess.Run("restore", "--attach", _iface, "--pin-root", _root, "--daemon-socket", path);
                Assert.Equal(ExitCodes.Conflict, refused.ExitCode);
                Assert.Contains("is the daemon's target 'edge': the daemon manages it: stop the daemon or remove the target from its configuration", refused.Stderr);
                Assert.Equal(live, BpfXdp.Query(_ifindex).ProgramId);
                await serving.WaitAsync(TimeSpan.FromSeconds(10));
            }
            // The daemon stopped (its socket is left, nobody answers): the restore goes ahead.
            var restored = Ok("restore", "--attach", _iface, "--pin-root", _root, "--daemon-socket", path);
            Assert.Contains($"-> {originalId}", restored.Stdout);
            Assert.Empty(Directory.GetFileSystemEntries(_root));
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    [Fact]
    public void Restore_refuses_bad_target_options_with_a_usage_error()
    {
        var none = KecleonProcess.Run("restore", "--pin-root", _root);
        Assert.Equal(ExitCodes.Usage, none.ExitCode);
        Assert.Contains("exactly one of --attach IFACE, --prog-id N, --pin PATH, --prog-array PIN|ID (with --chain) or --all", none.Stderr);
        var tcAlone = KecleonProcess.Run("restore", "--prog-id", "1", "--tc", "ingress");
        Assert.Equal(ExitCodes.Usage, tcAlone.ExitCode);
        var noIface = KecleonProcess.Run("restore", "--attach", "ops-none0", "--pin-root", _root);
        Assert.Equal(ExitCodes.Usage, noIface.ExitCode);
        Assert.Contains("no network interface named 'ops-none0'", noIface.Stderr);
        var gone = Ok("restore", "--prog-id", "4000000000", "--pin-root", _root);
        Assert.Contains("program 4000000000 is no longer loaded: nothing to restore", gone.Stdout);
        Assert.DoesNotContain("   at ", none.Output + noIface.Output + gone.Output);
    }
}
