using System.Globalization;
using System.Text.RegularExpressions;
using Kecleon.Bench.Live;
using Kecleon.Bpf;
using Kecleon.Tests;
using Kecleon.Workloads;
using Xunit;
using Xunit.Abstractions;

namespace Kecleon.Cli.Tests;

/// <summary>
/// Real map contents wherever a program runs: a user's own program run, benched and diffed on copies of a live
/// program's maps (<c>--maps-from PROG_ID|PIN_DIR</c>) or on <c>bpftool map dump -j</c> files (<c>--maps</c>, written by
/// <c>kecleon snapshot</c>) behaves as the live program does, a run on empty maps says so, bad dumps are refused by
/// name, and <c>optimize --dry-run --emit</c> writes an object that analyze, diff and bench take.
/// </summary>
[Trait("Tier", "Kernel")]
public sealed partial class MapSourceTests(ITestOutputHelper output)
{
    private static readonly string Router = Path.Combine(TestEnvironment.RepositoryRoot, "samples", "router", "router.bpf.c");
    private static readonly string SampleInclude = "--cflag=-I" + Path.Combine(TestEnvironment.RepositoryRoot, "samples", "include");
    private static readonly string LiveMaps = Path.Combine(TestEnvironment.RepositoryRoot, "tests", "Corpus", "live_maps.bpf.c");

    /// <summary>The router sample loaded and filled as `kecleon sample load` does: the bench of its source on copies of
    /// its maps (by id, then from a snapshot) specializes exactly as the bench of the sample with its own control plane,
    /// on the same trace; an emitted dry run of it is analyzed, diffed and benched on the same maps.</summary>
    [Fact]
    public void The_router_on_its_live_maps_is_specialized_as_the_sample_is()
    {
        using var pair = VethPair.Create();
        var pins = Path.Combine(pair.PinDirectory, "router");
        var load = Kecleon("sample", "load", "router", "--pin-dir", pins);
        Assert.True(load.ExitCode == 0, load.Output);
        var id = uint.Parse(LoadedAs().Match(load.Stdout).Groups[1].Value, CultureInfo.InvariantCulture);
        var trace = Trace();

        var sample = Kecleon("bench", "--sample", "router", "--pcap", trace, "--rounds", "1", "--loads", "1", "--no-instrument");
        Assert.True(sample.ExitCode == 0, sample.Output);
        var steps = Steps(sample.Stdout);
        Assert.Contains("+ map-inlining: routes: ", steps);

        var live = Kecleon("bench", Router, "--pcap", trace, "--maps-from", Id(id), "--rounds", "1", "--loads", "1", "--no-instrument");
        Assert.True(live.ExitCode == 0, live.Output);
        Assert.Equal(steps, Steps(live.Stdout));
        Assert.DoesNotContain("empty maps", live.Stderr);

        var snapshot = TempDirectory("mapsio-snapshot");
        var written = Kecleon("snapshot", "--prog-id", Id(id), "-o", snapshot);
        Assert.True(written.ExitCode == 0, written.Output);
        Assert.True(File.Exists(Path.Combine(snapshot, "routes.json")), written.Output);
        Assert.Equal(ExitCodes.CannotCreate, Kecleon("snapshot", "--prog-id", Id(id), "-o", snapshot).ExitCode);
        var fromDump = Kecleon("bench", Router, "--pcap", trace, "--maps", snapshot, "--rounds", "1", "--loads", "1", "--no-instrument");
        Assert.True(fromDump.ExitCode == 0, fromDump.Output);
        Assert.Equal(steps, Steps(fromDump.Stdout));

        // What would be swapped in, written and looked at without a swap: the hook and the pin root stay as they were.
        using (var program = BpfFd.OpenPinned(Path.Combine(pins, "router")))
            BpfXdp.Attach(BpfXdp.InterfaceIndex(pair.HostEnd), program.Value, XdpFlags.DriverMode);
        var root = Path.Combine(pair.PinDirectory, "kecleon");
        var spec = TestEnvironment.TempFile(".o", "mapsio-spec");
        var dry = Kecleon("optimize", Router, "--prog-id", Id(id), "--pin-root", root, "--check-packets", "100", "--dry-run", "--emit", spec);
        Assert.True(dry.ExitCode == 0, dry.Output);
        Assert.Contains("dry run: checked, nothing swapped or pinned", dry.Stdout);
        Assert.Equal(id, BpfXdp.Query(BpfXdp.InterfaceIndex(pair.HostEnd)).ProgramId);
        Assert.False(Directory.Exists(root) && Directory.EnumerateFileSystemEntries(root).Any(), "a dry run pinned something");
        var analyzed = Kecleon("analyze", spec);
        Assert.True(analyzed.ExitCode == 0, analyzed.Output);
        Assert.Contains("kecleon_fallback", analyzed.Stdout);
        var diff = Kecleon("diff", Router, spec, "--trace", trace, "--maps-from", Id(id));
        Assert.True(diff.ExitCode == 0, diff.Output);
        Assert.Contains("0 mismatches", diff.Stdout);
        var bench = Kecleon("bench", spec, "--pcap", trace, "--maps-from", Id(id), "--rounds", "1", "--loads", "1", "--no-instrument");
        Assert.True(bench.ExitCode == 0, bench.Output);
        Assert.Contains("timed as it is", bench.Stderr);
        var again = Kecleon("optimize", spec, "--prog-id", Id(id), "--pin-root", root, "--dry-run");
        Assert.True(again.ExitCode == ExitCodes.BadInput, again.Output);
        Assert.Contains("is a specialized object `kecleon optimize --emit` wrote", again.Stderr);
    }

    /// <summary>Our own filter (<c>tests/Corpus/live_maps.bpf.c</c>) loaded by its loader tool: a hash map of verdicts, a
    /// per-CPU counter and a <c>.bss</c> default, each copied from the live program, the pin folder and a snapshot.</summary>
    [Fact]
    public void A_loaded_programs_hash_per_cpu_and_global_data_reach_the_run()
    {
        using var pair = VethPair.Create();
        var state = Path.Combine(pair.PinDirectory, "loader");
        var mapPins = Path.Combine(pair.PinDirectory, "maps");
        Directory.CreateDirectory(state);
        Directory.CreateDirectory(mapPins);
        var obj = TestEnvironment.TempFile(".o", "live_maps");
        CorpusLoader.Run("clang-14", "-O2", "-g", "-target", "bpf", "-fembed-bitcode", "-I/usr/include/x86_64-linux-gnu", "-c", LiveMaps, "-o", obj);
        CorpusLoader.Load("load", obj, "live_filter", pair.HostEnd, state, "--map-pins", mapPins,
            "--u32", "lm_rules", "0x0800", "3", "--u32", ".bss", "0", "1");
        var id = uint.Parse(ProgramLine().Match(CorpusLoader.Load("status", state)).Groups[1].Value, CultureInfo.InvariantCulture);
        var (ipv4, arp) = (Frame(0x0800), Frame(0x0806));
        string Verdict(string frame, params string[] maps)
        {
            var run = Kecleon(["run", LiveMaps, "--cflag=-I/usr/include/x86_64-linux-gnu", "--packet", frame, .. maps]);
            Assert.True(run.ExitCode == 0, run.Output);
            return VerdictLine().Match(run.Stdout).Groups[1].Value;
        }

        Assert.Equal("XDP_TX", Verdict(ipv4, "--maps-from", Id(id)));
        Assert.Equal("XDP_DROP", Verdict(arp, "--maps-from", Id(id)));
        Assert.Equal("XDP_TX", Verdict(ipv4, "--maps-from", mapPins));

        var empty = Kecleon("run", LiveMaps, "--cflag=-I/usr/include/x86_64-linux-gnu", "--packet", ipv4);
        Assert.Contains("XDP_PASS", empty.Stdout);
        Assert.Contains("runs on empty maps (lm_rules): give --maps-from PROG_ID|PIN_DIR or --maps FILE|DIR", empty.Stderr);

        var snapshot = TempDirectory("mapsio-live-maps");
        var written = Kecleon("snapshot", "--prog-id", Id(id), "-o", snapshot);
        Assert.True(written.ExitCode == 0, written.Output);
        Assert.Contains("\"values\":[{\"cpu\":0,", File.ReadAllText(Path.Combine(snapshot, "lm_hits.json")));
        Assert.Equal("XDP_TX", Verdict(ipv4, "--maps", snapshot));
        Assert.Equal("XDP_DROP", Verdict(arp, "--maps", snapshot));
        CorpusLoader.Load("unload", state);
    }

    /// <summary>Dumps that do not fit the program are refused with exit 65, naming the map and the file.</summary>
    [Fact]
    public void Dumps_that_do_not_fit_are_refused_by_name()
    {
        var folder = TempDirectory("mapsio-bad");
        var frame = Frame(0x0800);
        void Refused(string file, string contents, string message)
        {
            var path = Path.Combine(folder, file);
            File.WriteAllText(path, contents);
            var run = Kecleon("run", Router, SampleInclude, "--packet", frame, "--maps", path);
            Assert.True(run.ExitCode == ExitCodes.BadInput, $"{file}: exit {run.ExitCode}, expected 65\n{run.Output}");
            Assert.Contains(message, run.Stderr);
            Assert.Single(run.Stderr.TrimEnd().Split('\n'));
        }

        Refused("nexthops.json", """[{"key":["0x00","0x00","0x00","0x00"],"value":["0x01"]}]""",
            "nexthops.json: map nexthops, entry 0: the value has 1 bytes, nexthops takes 20");
        Refused("routes.json", """[{"key":["0x01"],"value":["0x01","0x00","0x00","0x00"]}]""",
            "routes.json: map routes, entry 0: the key has 1 bytes, routes takes 8");
        Refused("maps.json", """{"no_such_map": []}""", "maps.json: router.bpf.c has no map 'no_such_map'; its maps: ");
        Refused("stats.json", """[{"key": ["0x00", """, "stats.json: not JSON");
        Refused("formatted.json", """[{"formatted":{"key":1,"value":2}}]""", "only the BTF-formatted form is there");
        var many = string.Join(',', Enumerable.Range(0, 257).Select(i => $"{{\"key\":[\"0x{i & 0xff:x2}\",\"0x{i >> 8:x2}\",\"0x00\",\"0x00\"],\"value\":[{string.Join(',', Enumerable.Repeat("\"0x00\"", 20))}]}}"));
        Refused("nexthops_many.json", $"{{\"nexthops\":[{many}]}}", "map nexthops has 257 entries, over the 256 nexthops holds (max_entries)");
    }

    private KecleonProcess.Result Kecleon(params string[] args)
    {
        var run = KecleonProcess.Run(args);
        output.WriteLine($"kecleon {string.Join(' ', args)}: exit {run.ExitCode}\n{run.Stdout}{run.Stderr}");
        Assert.DoesNotContain("   at ", run.Output);
        return run;
    }

    /// <summary>The report's steps, applied and not (the lines that say what was inlined, with its entry counts, and why
    /// the rest was left alone).</summary>
    private static string Steps(string stdout) =>
        string.Join('\n', stdout.Split('\n').Where(l => l.StartsWith("    + ", StringComparison.Ordinal) || l.StartsWith("    - ", StringComparison.Ordinal)));

    private static string Trace()
    {
        SampleCatalog.TryGet("router", out var router);
        var path = TestEnvironment.TempFile(".pcap", "mapsio");
        Pcap.WriteFile(path, router!.GenerateTrace(router.GenerateControlPlane(1), Locality.High, 300, 1));
        return path;
    }

    /// <summary>A 60-byte Ethernet frame of <paramref name="etherType"/>, as a raw frame file.</summary>
    private static string Frame(int etherType)
    {
        var frame = new byte[60];
        frame[12] = (byte)(etherType >> 8);
        frame[13] = (byte)etherType;
        var path = TestEnvironment.TempFile(".frame", "mapsio");
        File.WriteAllBytes(path, frame);
        return path;
    }

    /// <summary>A new empty folder (kecleon never creates output folders).</summary>
    private static string TempDirectory(string name) => Directory.CreateDirectory(TestEnvironment.TempFile("", name)).FullName;

    private static string Id(uint id) => id.ToString(CultureInfo.InvariantCulture);

    [GeneratedRegex(@"loaded router as program id (\d+)")]
    private static partial Regex LoadedAs();

    [GeneratedRegex(@"program (\d+): ")]
    private static partial Regex ProgramLine();

    [GeneratedRegex(@"verdict\s+(\S+)")]
    private static partial Regex VerdictLine();
}
