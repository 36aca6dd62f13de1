using System.Buffers.Binary;
using System.Globalization;
using System.Text.Json;
using Kecleon.Bench.Live;
using Kecleon.Bpf;
using Kecleon.Tests;
using Kecleon.Workloads;
using Xunit;
using Xunit.Abstractions;

namespace Kecleon.Cli.Tests;

/// <summary>
/// TC hooks, each with a program of our own (tests/Corpus) run through the real commands: a cls_bpf classifier attached
/// by <c>tc filter … bpf da</c>, the same classifier on a tcx link Kecleon attaches and on one another loader made and
/// pinned, and hooks Kecleon refuses by name (a cgroup_skb program, a cls_bpf filter without direct-action). Each:
/// optimize (check with 0 mismatches, swap), optimize again (the specialization is kept), then --restore (the user's
/// attachment as it was, no pins left); analyze, profile, bench and diff of the classifier. Namespaces:
/// <see cref="NamespaceHookTests"/>.
/// </summary>
[Trait("Tier", "Kernel")]
public sealed class HookTests(ITestOutputHelper output)
{
    private static readonly string Corpus = Path.Combine(TestEnvironment.RepositoryRoot, "tests", "Corpus");

    /// <summary>A corpus program compiled as users build theirs (clang-14 -O2 -g, with the IR embedded).</summary>
    internal static string Object(string name)
    {
        var path = TestEnvironment.TempFile(".o", name);
        VethPair.Run("clang-14", $"-O2 -g -target bpf -I/usr/include/x86_64-linux-gnu -fembed-bitcode -c {Path.Combine(Corpus, name + ".bpf.c")} -o {path}");
        return path;
    }

    /// <summary>TCP frames to ports 80 and 8080, UDP to 53 and 8080, an IPv6 and an ARP frame.</summary>
    internal static string Trace()
    {
        static byte[] Ipv4(byte protocol, ushort port)
        {
            var frame = new byte[protocol == 6 ? 54 : 42];
            frame.AsSpan(0, 12).Fill(2);
            frame[12] = 0x08;
            frame[14] = 0x45;
            BinaryPrimitives.WriteUInt16BigEndian(frame.AsSpan(16), (ushort)(frame.Length - 14));
            frame[22] = 64;
            frame[23] = protocol;
            BinaryPrimitives.WriteUInt16BigEndian(frame.AsSpan(36), port);
            return frame;
        }
        var ipv6 = new byte[74];
        ipv6[12] = 0x86;
        ipv6[13] = 0xdd;
        var arp = new byte[42];
        arp[12] = 0x08;
        arp[13] = 0x06;
        var path = TestEnvironment.TempFile(".pcap");
        Pcap.WriteFile(path, Enumerable.Repeat<byte[][]>([Ipv4(6, 80), Ipv4(6, 8080), Ipv4(17, 53), Ipv4(17, 8080), ipv6, arp], 16).SelectMany(f => f));
        return path;
    }

    internal static KecleonProcess.Result Ok(params string[] args)
    {
        var run = KecleonProcess.Run(args);
        Assert.True(run.ExitCode == 0, $"kecleon {string.Join(' ', args)}: {run.Output}");
        return run;
    }

    /// <summary>Lets TCP port 80 through (TC_ACT_OK) in the program's <c>allowed_ports</c>.</summary>
    internal static void AllowPort80(uint programId)
    {
        using var program = BpfFd.OpenProgramById(programId);
        foreach (var id in BpfProgramInfo.FromFd(program.Value).MapIds)
        {
            using var map = BpfLoadedMap.OpenById(id);
            if (map.Name == "allowed_ports")
                map.Update(BitConverter.GetBytes((uint)BinaryPrimitives.ReverseEndianness((ushort)80)), BitConverter.GetBytes(0u));
        }
    }

    /// <summary>Analyze, profile, bench and diff of a TC object (none of them needs the hook).</summary>
    private static void OfflineCommands(string obj)
    {
        Assert.Contains("type schedcls", Ok("analyze", obj).Stdout);
        var trace = Trace();
        Ok("profile", obj, "--pcap", trace, "--out", TestEnvironment.TempFile(".json"));
        Assert.Contains("0 mismatches", Ok("bench", obj, "--pcap", trace).Stdout);
        Ok("diff", obj, obj, "--fuzz", "100");
    }

    [Fact]
    public void A_cls_bpf_filter_attached_by_tc_is_optimized_in_place_and_restored_as_it_was()
    {
        var obj = Object("tc_classifier");
        using var pair = VethPair.Create();
        var root = pair.PinDirectory;
        VethPair.Run("tc", $"qdisc add dev {pair.HostEnd} clsact");
        VethPair.Run("tc", $"filter add dev {pair.HostEnd} ingress bpf da obj {obj} sec tc");
        var ifindex = BpfXdp.InterfaceIndex(pair.HostEnd);
        ClsBpfFilter Filter() => Assert.Single(BpfTc.ClsBpfFilters(ifindex, TcDirection.Ingress));
        var before = Filter();
        var originalId = before.ProgramId;
        AllowPort80(originalId);
        OfflineCommands(obj);

        var first = Ok("optimize", obj, "--prog-id", originalId.ToString(CultureInfo.InvariantCulture), "--pin-root", root, "--check-packets", "200");
        output.WriteLine(first.Stdout);
        Assert.Contains(" 0 mismatches", first.Stdout);
        Assert.Contains("allowed_ports: 1 entries inlined", first.Stdout);
        Assert.Contains($"on TC ingress on {pair.HostEnd} (cls_bpf filter pref {before.Priority} handle 0x{before.Handle:x}) (cls_bpf filter replaced in place by netlink)", first.Stdout);
        var optimized = Filter();
        Assert.NotEqual(originalId, optimized.ProgramId);
        Assert.Equal(before with { ProgramId = optimized.ProgramId }, optimized);

        var again = Ok("optimize", obj, "--prog-id", originalId.ToString(CultureInfo.InvariantCulture), "--pin-root", root, "--check-packets", "200", "--json");
        using (var json = JsonDocument.Parse(again.Stdout))
        {
            Assert.Equal(optimized.ProgramId, json.RootElement.GetProperty("swap").GetProperty("from_program_id").GetUInt32());
            Assert.Equal(0, json.RootElement.GetProperty("mismatches").GetInt32());
            Assert.Contains(json.RootElement.GetProperty("maps").EnumerateArray(), m => m.GetProperty("name").GetString() == "allowed_ports");
        }

        var restore = Ok("optimize", obj, "--prog-id", originalId.ToString(CultureInfo.InvariantCulture), "--pin-root", root, "--restore");
        Assert.Contains($"-> {originalId}", restore.Stdout);
        Assert.Equal(before, Filter());
        Assert.DoesNotContain(Directory.GetFiles(root, "*", SearchOption.AllDirectories), p => !p.Contains("/guards", StringComparison.Ordinal));
    }

    [Fact]
    public void A_tc_program_is_attached_with_a_tcx_link_optimized_again_on_its_filled_maps_and_restored()
    {
        var obj = Object("tc_classifier");
        using var pair = VethPair.Create();
        var root = pair.PinDirectory;
        var ifindex = BpfXdp.InterfaceIndex(pair.HostEnd);

        var noAttach = KecleonProcess.Run("optimize", obj, "--prog-id", "1", "--tc", "egress", "--pin-root", root);
        Assert.Equal(ExitCodes.Usage, noAttach.ExitCode);
        Assert.Contains("--tc names the TC hook of the --attach interface", noAttach.Stderr);
        var notTc = KecleonProcess.Run("optimize", obj, "--attach", pair.HostEnd, "--pin-root", root);
        Assert.Equal(ExitCodes.Usage, notTc.ExitCode);
        Assert.Contains("is a sched_cls program, not an XDP one: give --tc ingress or --tc egress", notTc.Stderr);
        Assert.Empty(BpfTc.TcxProgramIds(ifindex, TcDirection.Egress));

        var first = Ok("optimize", obj, "--attach", pair.HostEnd, "--tc", "egress", "--pin-root", root, "--check-packets", "100");
        var originalId = uint.Parse(System.Text.RegularExpressions.Regex.Match(first.Stdout, @"loaded the input as program (\d+)").Groups[1].Value, CultureInfo.InvariantCulture);
        Assert.Contains($"attached it to TC egress of {pair.HostEnd} (tcx)", first.Stdout);
        Assert.Contains("BPF_LINK_UPDATE with BPF_F_REPLACE", first.Stdout);
        var running = Assert.Single(BpfTc.TcxProgramIds(ifindex, TcDirection.Egress));
        Assert.NotEqual(originalId, running);

        AllowPort80(originalId);
        var again = Ok("optimize", obj, "--attach", pair.HostEnd, "--tc", "egress", "--pin-root", root, "--check-packets", "200");
        output.WriteLine(again.Stdout);
        Assert.Contains("allowed_ports: 1 entries inlined", again.Stdout);
        Assert.Contains(" 0 mismatches", again.Stdout);
        Assert.Contains($"swapped program {running} -> ", again.Stdout);
        Assert.Contains("(tcx link ", again.Stdout);
        var kept = Ok("optimize", obj, "--prog-id", originalId.ToString(CultureInfo.InvariantCulture), "--pin-root", root, "--check-packets", "200");
        Assert.Contains("allowed_ports: 1 entries inlined", kept.Stdout);
        var linkPin = Path.Combine(Assert.Single(Directory.GetDirectories(root, "tcx-egress-*")), "link");
        var byPin = Ok("optimize", obj, "--pin", linkPin, "--pin-root", root, "--check-packets", "100");
        Assert.Contains("allowed_ports: 1 entries inlined", byPin.Stdout);

        // Kecleon attached the input with a tcx link of its own: the undo takes that link away, and TC egress runs nothing.
        Assert.Contains("removed the link Kecleon had attached", Ok("optimize", obj, "--attach", pair.HostEnd, "--tc", "egress", "--pin-root", root, "--restore").Stdout);
        Assert.Empty(BpfTc.TcxProgramIds(ifindex, TcDirection.Egress));
        var none = Ok("optimize", obj, "--attach", pair.HostEnd, "--tc", "ingress", "--pin-root", root, "--restore");
        Assert.Contains($"no TC program is attached to ingress of {pair.HostEnd}: nothing to restore", none.Stdout);
    }

    [Fact]
    public void A_tcx_link_another_loader_made_and_pinned_is_found_by_id_swapped_and_restored_with_its_pin_kept()
    {
        var obj = Object("tc_classifier");
        using var pair = VethPair.Create();
        var root = pair.PinDirectory;
        var ifindex = BpfXdp.InterfaceIndex(pair.HostEnd);
        var userPin = $"/sys/fs/bpf/kecleon-test-hooks-user-{Guid.NewGuid():N}"[..44];
        uint originalId;
        // The other loader: loads the object, attaches it with a tcx link, pins the link in its own place and exits.
        using (var loaded = BpfObject.OpenFile(obj))
        {
            loaded.Load();
            var program = loaded.Program("tc_classifier");
            using var link = BpfTc.CreateTcxLink(program.Fd, ifindex, TcDirection.Ingress);
            BpfFd.Pin(link.Value, userPin);
            originalId = BpfProgramInfo.FromFd(program.Fd).Id;
        }
        try
        {
            AllowPort80(originalId);
            var first = Ok("optimize", obj, "--prog-id", originalId.ToString(CultureInfo.InvariantCulture), "--pin-root", root, "--check-packets", "200");
            Assert.Contains("allowed_ports: 1 entries inlined", first.Stdout);
            Assert.Contains(" 0 mismatches", first.Stdout);
            Assert.Matches($@"on TC ingress on {pair.HostEnd} \(tcx link \d+\) \(BPF_LINK_UPDATE with BPF_F_REPLACE\)", first.Stdout);
            var running = Assert.Single(BpfTc.TcxProgramIds(ifindex, TcDirection.Ingress));
            Assert.NotEqual(originalId, running);
            var again = Ok("optimize", obj, "--prog-id", originalId.ToString(CultureInfo.InvariantCulture), "--pin-root", root, "--check-packets", "200");
            Assert.Contains($"swapped program {running} -> ", again.Stdout);
            Assert.Contains("allowed_ports: 1 entries inlined", again.Stdout);

            Ok("optimize", obj, "--prog-id", originalId.ToString(CultureInfo.InvariantCulture), "--pin-root", root, "--restore");
            Assert.Equal(originalId, Assert.Single(BpfTc.TcxProgramIds(ifindex, TcDirection.Ingress)));
            using (var pinned = BpfFd.OpenPinned(userPin))
                Assert.Equal(originalId, BpfLinkInfo.FromFd(pinned.Value).ProgramId);
            Assert.DoesNotContain(Directory.GetFiles(root, "*", SearchOption.AllDirectories), p => !p.Contains("/guards", StringComparison.Ordinal));
        }
        finally
        {
            File.Delete(userPin);
        }
    }

    [Fact]
    public void Hooks_Kecleon_does_not_swap_are_refused_by_name()
    {
        var obj = Object("cgroup_skb_counter");
        var pin = $"/sys/fs/bpf/kecleon-test-hooks-{Guid.NewGuid():N}"[..40];
        try
        {
            VethPair.Run("bpftool", $"prog load {obj} {pin} type cgroup/skb");
            uint id;
            using (var fd = BpfFd.OpenPinned(pin))
                id = BpfProgramInfo.FromFd(fd.Value).Id;
            foreach (var form in new[] { new[] { "--prog-id", id.ToString(CultureInfo.InvariantCulture) }, ["--pin", pin] })
            {
                var refused = KecleonProcess.Run(["optimize", obj, .. form, "--pin-root", pin + "-targets"]);
                Assert.Equal(ExitCodes.Failure, refused.ExitCode);
                Assert.Contains($"program {id} (", refused.Stderr);
                Assert.Contains("is a cgroup_skb program, which runs on cgroups: Kecleon swaps XDP and TC programs only", refused.Stderr);
                Assert.DoesNotContain("   at ", refused.Output);
            }
        }
        finally
        {
            File.Delete(pin);
        }

        // A cls_bpf filter without direct-action: its verdicts are class ids, and a replace would drop its actions.
        var classifier = Object("tc_classifier");
        using (var pair = VethPair.Create())
        {
            VethPair.Run("tc", $"qdisc add dev {pair.HostEnd} clsact");
            VethPair.Run("tc", $"filter add dev {pair.HostEnd} egress bpf obj {classifier} sec tc");
            var filter = Assert.Single(BpfTc.ClsBpfFilters(BpfXdp.InterfaceIndex(pair.HostEnd), TcDirection.Egress));
            Assert.False(filter.DirectAction);
            var refused = KecleonProcess.Run("optimize", classifier, "--prog-id", filter.ProgramId.ToString(CultureInfo.InvariantCulture), "--pin-root", pair.PinDirectory);
            Assert.Equal(ExitCodes.Failure, refused.ExitCode);
            Assert.Contains($"runs in a cls_bpf filter on {pair.HostEnd} (egress, pref {filter.Priority}) without direct-action: not supported yet", refused.Stderr);
            Assert.Equal(filter, Assert.Single(BpfTc.ClsBpfFilters(BpfXdp.InterfaceIndex(pair.HostEnd), TcDirection.Egress)));
        }

        var none = KecleonProcess.Run("optimize", obj, "--prog-id", "4000000000", "--pin-root", "/sys/fs/bpf/kecleon-test-none");
        Assert.Equal(ExitCodes.Failure, none.ExitCode);
        Assert.Contains("no program with id 4000000000 is loaded", none.Stderr);
    }
}
