using System.Diagnostics;
using System.Globalization;
using System.Text.RegularExpressions;
using Kecleon.Bench.Live;
using Kecleon.Bpf;
using Kecleon.Daemon;
using Kecleon.Runtime.Deployment;
using Kecleon.Tests;
using Kecleon.Workloads;
using Xunit;
using Xunit.Abstractions;

namespace Kecleon.Cli.Tests;

/// <summary>
/// Programs of our own (<c>tests/Corpus</c>), each standing for one way real data planes use objects and maps, loaded
/// the way their users load them: by a loader tool of their own (<c>corpus_loader.c</c>, built against libbpf) that
/// attaches the program with a bpf_link, pins that link and the program in its own folder, pins maps by name in another,
/// resizes maps before load and fills them. Each pattern goes through every command: analyze, optimize by program id
/// (no <c>--program</c>: the attached program is found by name and proved by tag), check with 0 mismatches, swap,
/// optimize again (the same maps specialized), restore, then profile, bench and diff. The loader's own view
/// (<c>status</c>) is the same after the swap, the re-run and the restore, its <c>unload</c> works at the end, and no
/// pin is created, moved or removed outside Kecleon's pin root.
/// </summary>
[Trait("Tier", "Kernel")]
public abstract partial class MapPatternTests(ITestOutputHelper output)
{
    private static readonly string Corpus = Path.Combine(TestEnvironment.RepositoryRoot, "tests", "Corpus");

    /// <summary>The corpus file (without <c>.bpf.c</c>).</summary>
    protected abstract string Pattern { get; }

    /// <summary>The program the loader attaches.</summary>
    protected abstract string Program { get; }

    /// <summary>The loader's options after its folders: resizes and entries; <paramref name="peerIndex"/> is an interface
    /// a devmap may send to.</summary>
    protected abstract IReadOnlyList<string> LoaderOptions(int peerIndex);

    /// <summary>Maps the loader pins by name (in its map-pin folder).</summary>
    protected virtual IReadOnlyList<string> PinnedMaps => [];

    /// <summary>The object holds other programs: commands that load it alone need <c>--program</c>.</summary>
    protected virtual bool Several => false;

    /// <summary>Lines the first optimize must print (the steps that show the pattern specialized).</summary>
    protected virtual IReadOnlyList<string> ExpectedSteps => [];

    protected string Source => Path.Combine(Corpus, $"{Pattern}.bpf.c");

    [Fact]
    public void Every_command_works_on_the_program_as_its_loader_runs_it()
    {
        using var pair = VethPair.Create();
        var root = Path.Combine(pair.PinDirectory, "kecleon");
        var state = Path.Combine(pair.PinDirectory, "loader");
        var mapPins = Path.Combine(pair.PinDirectory, "maps");
        Directory.CreateDirectory(state);
        Directory.CreateDirectory(mapPins);
        var obj = Build();
        var peerIndex = int.Parse(File.ReadAllText($"/sys/class/net/{pair.HostEnd}/ifindex").Trim(), CultureInfo.InvariantCulture);
        Loader(["load", obj, Program, pair.HostEnd, state, "--map-pins", mapPins, .. LoaderOptions(peerIndex)]);
        var statusArgs = new[] { "status", state }.Concat(PinnedMaps.Select(m => Path.Combine(mapPins, m))).ToArray();
        var status = Loader(statusArgs);
        var id = uint.Parse(ProgramLine().Match(status).Groups[1].Value, CultureInfo.InvariantCulture);
        var pinsBefore = PinsOutside(root);

        Assert.Equal(0, Kecleon("analyze", Source).ExitCode);

        var first = Kecleon("optimize", Source, "--prog-id", Id(id), "--pin-root", root, "--check-packets", "200");
        Assert.True(first.ExitCode == 0, first.Output);
        Assert.Contains(" 0 mismatches", first.Stdout);
        Assert.Matches($"swapped program {id} -> \\d+", first.Stdout);
        foreach (var step in ExpectedSteps)
            Assert.Contains(step, first.Stdout);
        Assert.Equal(status, Loader(statusArgs));
        AssertRunsOnTheLiveState(id, pair.HostEnd);

        var again = Kecleon("optimize", Source, "--prog-id", Id(id), "--pin-root", root, "--check-packets", "200");
        Assert.True(again.ExitCode == 0, again.Output);
        Assert.Contains(" 0 mismatches", again.Stdout);
        Assert.Equal(Inlined(first.Stdout), Inlined(again.Stdout));
        Assert.Equal(status, Loader(statusArgs));

        var restore = Kecleon("optimize", Source, "--prog-id", Id(id), "--pin-root", root, "--restore");
        Assert.True(restore.ExitCode == 0, restore.Output);
        Assert.Contains($"-> {id} on", restore.Stdout);
        Assert.Equal(status, Loader(statusArgs));
        Assert.Equal(pinsBefore, PinsOutside(root));

        var trace = Trace();
        string[] program = Several ? ["--program", Program] : [];
        var profile = Kecleon(["profile", Source, .. program, "--pcap", trace, "--out", TestEnvironment.TempFile(".json")]);
        Assert.True(profile.ExitCode == 0, profile.Output);
        var bench = Kecleon(["bench", Source, .. program, "--pcap", trace, "--rounds", "1", "--loads", "1", "--json"]);
        Assert.True(bench.ExitCode == 0, bench.Output);
        Assert.Contains("\"mismatches\": 0", bench.Stdout);
        var diff = Kecleon(["diff", obj, Source, .. program, "--trace", trace]);
        Assert.True(diff.ExitCode == 0, diff.Output);
        Assert.Contains("0 mismatches", diff.Stdout);

        Loader(["unload", state]);
        Assert.Equal(pinsBefore.Where(p => !p.StartsWith(state + "/", StringComparison.Ordinal)), PinsOutside(root));
    }

    /// <summary>Every map the program now on the hook uses that the original has too (by name; global data by section)
    /// is the original's own map, not a copy: the live state, <c>.data</c> and <c>.bss</c> included, stays one. Only
    /// read-only data (part of the program) is its own; maps inlined whole it no longer uses at all.</summary>
    private static void AssertRunsOnTheLiveState(uint originalId, string iface)
    {
        var running = BpfXdp.Query(BpfXdp.InterfaceIndex(iface)).ProgramId;
        Assert.NotEqual(originalId, running);
        var original = MapsOf(originalId);
        foreach (var (key, id) in MapsOf(running))
            if (!key.Contains(".rodata", StringComparison.Ordinal) && original.TryGetValue(key, out var live))
                Assert.True(live == id, $"program {running} on the hook uses map {id} for {key}, not the original's map {live}");
    }

    /// <summary>A program's maps by name (global data by section: libbpf prefixes the loader's object name).</summary>
    protected static Dictionary<string, uint> MapsOf(uint programId)
    {
        using var program = BpfFd.OpenProgramById(programId);
        var maps = new Dictionary<string, uint>();
        foreach (var id in BpfProgramInfo.FromFd(program.Value).MapIds)
        {
            using var map = BpfLoadedMap.OpenById(id);
            maps[map.Name.IndexOf('.', StringComparison.Ordinal) is var dot and >= 0 ? map.Name[dot..] : map.Name] = id;
        }
        return maps;
    }

    /// <summary>The daemon runs it too: found by program id, its program picked by name without a "program" key, checked
    /// and swapped; on shutdown it swaps the original back, and the loader's view is as it was.</summary>
    protected void AssertTheDaemonOptimizesAndRestoresIt()
    {
        using var pair = VethPair.Create();
        var root = Path.Combine(pair.PinDirectory, "kecleon");
        var state = Path.Combine(pair.PinDirectory, "loader");
        var mapPins = Path.Combine(pair.PinDirectory, "maps");
        Directory.CreateDirectory(state);
        Directory.CreateDirectory(mapPins);
        Loader(["load", Build(), Program, pair.HostEnd, state, "--map-pins", mapPins, .. LoaderOptions(0)]);
        var status = Loader(["status", state]);
        var id = uint.Parse(ProgramLine().Match(status).Groups[1].Value, CultureInfo.InvariantCulture);
        var pinsBefore = PinsOutside(root);
        var socket = Path.Combine(Path.GetTempPath(), "kecleon-tests", $"maps-{Guid.NewGuid():N}.sock");
        var config = TestEnvironment.TempFile(".json");
        File.WriteAllText(config, $$"""
            {
              "targets": [ { "name": "{{Pattern}}", "source": "{{Source}}", "program_id": {{id}} } ],
              "period": "1s", "profile_window": "200ms", "watch": "200ms", "backoff": "200ms",
              "on_shutdown": "restore", "status_socket": "{{socket}}", "metrics": "", "pin_root": "{{root}}"
            }
            """);
        var daemon = KecleonProcess.Start("daemon", "--config", config);
        try
        {
            DaemonProcess.WaitFor(socket, t => t.State == TargetState.Optimized, "optimize " + Pattern);
            AssertRunsOnTheLiveState(id, pair.HostEnd);
            Assert.Equal(status, Loader(["status", state]));
        }
        finally
        {
            DaemonProcess.Stop(daemon);
            VethPair.RemoveLockFiles(root);
        }
        Assert.Equal(id, BpfXdp.Query(BpfXdp.InterfaceIndex(pair.HostEnd)).ProgramId);
        Assert.Equal(status, Loader(["status", state]));
        Assert.Equal(pinsBefore, PinsOutside(root));
    }

    /// <summary>Loads the pattern as its loader does on a veth pair of its own: the program id, Kecleon's pin root, and
    /// what unloads it and removes the pair.</summary>
    protected (string Id, string Root, Action Stop) LoadAttached()
    {
        var pair = VethPair.Create();
        try
        {
            var root = Path.Combine(pair.PinDirectory, "kecleon");
            var state = Path.Combine(pair.PinDirectory, "loader");
            var mapPins = Path.Combine(pair.PinDirectory, "maps");
            Directory.CreateDirectory(state);
            Directory.CreateDirectory(mapPins);
            Loader(["load", Build(), Program, pair.HostEnd, state, "--map-pins", mapPins, .. LoaderOptions(0)]);
            var id = ProgramLine().Match(Loader(["status", state])).Groups[1].Value;
            return (id, root, () =>
            {
                try
                {
                    Loader(["unload", state]);
                }
                finally
                {
                    VethPair.RemoveLockFiles(root);
                    pair.Dispose();
                }
            });
        }
        catch
        {
            pair.Dispose();
            throw;
        }
    }

    private protected KecleonProcess.Result Kecleon(params string[] args)
    {
        var run = KecleonProcess.Run(args);
        output.WriteLine($"kecleon {string.Join(' ', args)}: exit {run.ExitCode}\n{run.Stdout}{run.Stderr}");
        Assert.DoesNotContain("   at ", run.Output);
        return run;
    }

    /// <summary>The maps a run inlined, with their entries (not their guard versions).</summary>
    private static string Inlined(string stdout) => string.Join('\n', InlinedLine().Matches(stdout).Select(m => m.Groups[1].Value));

    protected static string Id(uint id) => id.ToString(CultureInfo.InvariantCulture);

    /// <summary>Every pin in bpffs outside Kecleon's pin root: ours (the loader's), and no stray one named after a
    /// corpus map (libbpf pins by name in the bpffs root by default).</summary>
    private List<string> PinsOutside(string root)
    {
        var ours = Directory.EnumerateFileSystemEntries(Path.GetDirectoryName(root)!, "*", SearchOption.AllDirectories)
            .Where(p => !p.StartsWith(root, StringComparison.Ordinal));
        var stray = Directory.EnumerateFileSystemEntries("/sys/fs/bpf").Where(p => PinnedMaps.Contains(Path.GetFileName(p)));
        return [.. ours.Concat(stray).Order(StringComparer.Ordinal)];
    }

    /// <summary>The object the loader loads: clang's, with the IR embedded (as users build for Kecleon).</summary>
    protected string Build()
    {
        var obj = TestEnvironment.TempFile(".o", Pattern);
        CorpusLoader.Run("clang-14", "-O2", "-g", "-target", "bpf", "-fembed-bitcode", "-I/usr/include/x86_64-linux-gnu", "-c", Source, "-o", obj);
        return obj;
    }

    protected static string Trace()
    {
        SampleCatalog.TryGet("router", out var router);
        var path = TestEnvironment.TempFile(".pcap", "map-patterns");
        Pcap.WriteFile(path, router!.GenerateTrace(router.GenerateControlPlane(1), Locality.High, 200, 1));
        return path;
    }

    protected string Loader(string[] args) => CorpusLoader.Load(args);

    [GeneratedRegex(@"program (\d+): ")]
    protected static partial Regex ProgramLine();

    [GeneratedRegex(@"map (\S+: \d+ entries inlined)")]
    private static partial Regex InlinedLine();
}

/// <summary>An object with two XDP programs; the attached one uses only one of the maps.</summary>
public sealed class TwoProgramsPatternTests(ITestOutputHelper output) : MapPatternTests(output)
{
    protected override string Pattern => "two_programs";
    protected override string Program => "ether_gate";
    protected override bool Several => true;
    protected override IReadOnlyList<string> LoaderOptions(int peerIndex) => ["--u32", "gate_verdicts", "0x86dd", "1", "--u32", "gate_verdicts", "0x0806", "3"];

    [Fact]
    public void The_daemon_optimizes_and_restores_it() => AssertTheDaemonOptimizesAndRestoresIt();

    /// <summary>A <c>--program</c> the object does not have names the programs it has; one it has that is not the
    /// attached program is refused by tag.</summary>
    [Fact]
    public void A_wrong_program_option_is_refused_by_name()
    {
        using var pair = VethPair.Create();
        var state = Path.Combine(pair.PinDirectory, "loader");
        Directory.CreateDirectory(state);
        var obj = TestEnvironment.TempFile(".o");
        var compile = Process.Start("clang-14", ["-O2", "-g", "-target", "bpf", "-fembed-bitcode", "-I/usr/include/x86_64-linux-gnu", "-c", Source, "-o", obj]);
        compile.WaitForExit();
        Assert.Equal(0, compile.ExitCode);
        using var loaded = LoadedVariant.Load("two", File.ReadAllBytes(obj), "ether_gate");
        var ifindex = BpfXdp.InterfaceIndex(pair.HostEnd);
        BpfXdp.Attach(ifindex, loaded.Program.Fd, XdpFlags.DriverMode);
        try
        {
            var id = loaded.Program.Info().Id.ToString(CultureInfo.InvariantCulture);
            var root = Path.Combine(pair.PinDirectory, "kecleon");
            var missing = KecleonProcess.Run("optimize", Source, "--prog-id", id, "--pin-root", root, "--program", "nothere");
            Assert.Equal(ExitCodes.Usage, missing.ExitCode);
            Assert.Contains("--program nothere: ", missing.Stderr);
            Assert.Contains("ether_gate [xdp], ether_count [xdp]", missing.Stderr);
            var other = KecleonProcess.Run("optimize", Source, "--prog-id", id, "--pin-root", root, "--program", "ether_count");
            Assert.Equal(ExitCodes.BadInput, other.ExitCode);
            Assert.Contains("the input's program ether_count has tag", other.Stderr);
            Assert.Contains($"the original there is program {id} (ether_gate)", other.Stderr);
            Assert.DoesNotContain("   at ", other.Output);
            var bench = KecleonProcess.Run("bench", Source, "--pcap", Trace());
            Assert.Equal(ExitCodes.Usage, bench.ExitCode);
            Assert.Contains("name one with --program", bench.Stderr);
        }
        finally
        {
            BpfXdp.Detach(ifindex, XdpFlags.DriverMode);
        }
    }
}

/// <summary>Maps pinned by name in the loader's own folder; the loader pins its program and link too.</summary>
public sealed class PinnedMapsPatternTests(ITestOutputHelper output) : MapPatternTests(output)
{
    protected override string Pattern => "pinned_maps";
    protected override string Program => "pinned_filter";
    protected override IReadOnlyList<string> PinnedMaps => ["pin_rules", "pin_hits"];
    protected override IReadOnlyList<string> LoaderOptions(int peerIndex) => ["--u32", "pin_rules", "0x86dd", "1", "--u32", "pin_rules", "0x0806", "2"];

    [Fact]
    public void The_daemon_optimizes_and_restores_it() => AssertTheDaemonOptimizesAndRestoresIt();
}

/// <summary>Maps declared with one entry, resized by the loader before load.</summary>
public sealed class ResizedMapsPatternTests(ITestOutputHelper output) : MapPatternTests(output)
{
    protected override string Pattern => "resized_maps";
    protected override string Program => "sized_filter";
    protected override IReadOnlyList<string> LoaderOptions(int peerIndex) =>
        ["--resize", "sized_rules=64", "--resize", "sized_seen=128", "--u32", "sized_rules", "0x86dd", "1", "--u32", "sized_rules", "0x0806", "2", "--u32", "sized_rules", "0x0800", "2"];
}

/// <summary>An array of maps whose inner arrays the loader creates.</summary>
public sealed class MapInMapPatternTests(ITestOutputHelper output) : MapPatternTests(output)
{
    protected override string Pattern => "map_in_map";
    protected override string Program => "mim_filter";
    protected override IReadOnlyList<string> LoaderOptions(int peerIndex) => ["--inner", "mim_tables", "0", "1,2,3,2", "--inner", "mim_tables", "1", "2,2,1,3"];
}

/// <summary>A queue the program pushes to (no keys to iterate).</summary>
public sealed class QueueMapPatternTests(ITestOutputHelper output) : MapPatternTests(output)
{
    protected override string Pattern => "queue_map";
    protected override string Program => "queue_sampler";
    protected override IReadOnlyList<string> LoaderOptions(int peerIndex) => ["--u32", "q_block", "0x86dd", "1"];
}

/// <summary>Settings and a counter in global data (<c>.rodata</c>, <c>.data</c>, <c>.bss</c>).</summary>
public sealed class GlobalDataPatternTests(ITestOutputHelper output) : MapPatternTests(output)
{
    protected override string Pattern => "global_data";
    protected override string Program => "gd_filter";
    protected override IReadOnlyList<string> LoaderOptions(int peerIndex) => [];
}

/// <summary>Redirects by a devmap_hash lookup (the map holds interfaces).</summary>
public sealed class DevmapHashPatternTests(ITestOutputHelper output) : MapPatternTests(output)
{
    protected override string Pattern => "devmap_hash";
    protected override string Program => "dh_forward";
    protected override IReadOnlyList<string> LoaderOptions(int peerIndex) =>
        ["--dev", "dh_ports", "2", peerIndex.ToString(CultureInfo.InvariantCulture), "--dev", "dh_ports", "7", peerIndex.ToString(CultureInfo.InvariantCulture)];
}
