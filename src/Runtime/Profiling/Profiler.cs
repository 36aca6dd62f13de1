using System.Buffers.Binary;
using System.Diagnostics;
using Kecleon.Bpf;
using Kecleon.FrontEnd;
using Kecleon.Instrumentation.Profiles;
using Kecleon.Instrumentation.Profiling;
using Kecleon.Runtime.Deployment;

namespace Kecleon.Runtime.Profiling;

/// <summary>How the profiler ages and trims what it reads.</summary>
public sealed record ProfilerOptions
{
    public static readonly ProfilerOptions Default = new();

    /// <summary>What is left of earlier counts at the end of each window (0.5: a traffic shift leads after one window of
    /// equal traffic).</summary>
    public double Decay { get; init; } = 0.5;
    /// <summary>Keys tracked per site in user space; after ageing, the coldest beyond this are dropped, so new keys always
    /// find room.</summary>
    public int TrackedKeysPerSite { get; init; } = 4096;
    /// <summary>Keys per site written into a <see cref="Profile"/>.</summary>
    public int KeysPerSite { get; init; } = 64;
}

/// <summary>What one window added (before ageing), for reports and tests.</summary>
public sealed record ProfileWindow(int Number, TimeSpan Duration, ulong Packets, int Samples, int LostSamples);

/// <summary>
/// The profiling maps of a loaded instrumented program (<see cref="InstrumentationLayout.Maps"/>): of a variant this
/// process loaded, or of a program on a hook found by its id (the daemon's specialized program, which profiles itself).
/// </summary>
public sealed class ProfileMaps : IDisposable
{
    private readonly List<BpfLoadedMap> _owned;

    private ProfileMaps(string program, Func<string, BpfMapAccess?> find, List<BpfLoadedMap> owned)
    {
        _owned = owned;
        BpfMapAccess Find(string name) => find(name) ?? throw new KecleonException($"{program} is not instrumented: it has no map {name}");
        State = Find(InstrumentationLayout.StateMap);
        // LLVM drops the ring of a program that records no keys, and the counters of one without branches.
        Ring = find(InstrumentationLayout.RingMap);
        Branches = find(InstrumentationLayout.BranchMap);
        Packets = find(InstrumentationLayout.PacketMap);
        Window = find(InstrumentationLayout.WindowMap);
    }

    public BpfMapAccess State { get; }
    /// <summary>The recorded keys; none in a program that has no profiled lookup site left.</summary>
    public BpfMapAccess? Ring { get; }
    /// <summary>The branch counters; none in a program without conditional branches.</summary>
    public BpfMapAccess? Branches { get; }
    /// <summary>Recently sampled packets (XDP programs only).</summary>
    public BpfMapAccess? Packets { get; }
    /// <summary>The profile window of a windowed program.</summary>
    public BpfMapAccess? Window { get; }

    /// <summary>The maps of a variant this process loaded (they live as long as it does).</summary>
    public static ProfileMaps Of(LoadedVariant instrumented) => new(instrumented.Name, instrumented.Object.FindMap, []);

    /// <summary>The maps of the loaded program <paramref name="programId"/>, found by their kernel names; owned by the
    /// result.</summary>
    public static ProfileMaps OfProgram(uint programId)
    {
        var maps = new List<BpfLoadedMap>();
        try
        {
            using (var program = BpfFd.OpenProgramById(programId))
                foreach (var id in BpfProgramInfo.FromFd(program.Value).MapIds)
                {
                    var map = BpfLoadedMap.OpenById(id);
                    if (InstrumentationLayout.Maps.Any(name => LoadedVariant.KernelName(name) == map.Name))
                        maps.Add(map);
                    else
                        map.Dispose();
                }
            return new ProfileMaps($"program {programId}", name => maps.FirstOrDefault(m => m.Name == LoadedVariant.KernelName(name)), maps);
        }
        catch
        {
            maps.ForEach(m => m.Dispose());
            throw;
        }
    }

    /// <summary>Opens a windowed program's profile window until <paramref name="length"/> from now (see
    /// <see cref="Profiler.OpenWindow"/>).</summary>
    public void OpenWindow(TimeSpan length)
    {
        var window = Window ?? throw new InvalidOperationException("the program is not windowed: it samples all the time");
        // Stopwatch reads CLOCK_MONOTONIC, the clock bpf_ktime_get_ns reads.
        var until = (ulong)(Stopwatch.GetTimestamp() * (1e9 / Stopwatch.Frequency) + length.Ticks * 100.0);
        window.Update(new byte[4], BitConverter.GetBytes(until));
    }

    /// <summary>Closes the profile window: the program samples nothing from now on.</summary>
    public void CloseWindow() => Window?.Update(new byte[4], new byte[8]);

    /// <summary>Whether the profile window is open now (it closes itself at its end, on the first sampled packet after).</summary>
    public bool WindowOpen => Window?.Lookup(new byte[4]) is { } value && BitConverter.ToUInt64(value) != 0;

    /// <summary>Closes the profile window of the loaded program <paramref name="programId"/> if it has one (a window an
    /// earlier process left open; it would close itself at its end). False when the program is not windowed.</summary>
    public static bool CloseWindowOf(uint programId)
    {
        using var program = BpfFd.OpenProgramById(programId);
        foreach (var id in BpfProgramInfo.FromFd(program.Value).MapIds)
        {
            using var map = BpfLoadedMap.OpenById(id);
            if (map.Name != LoadedVariant.KernelName(InstrumentationLayout.WindowMap))
                continue;
            map.Update(new byte[4], new byte[8]);
            return true;
        }
        return false;
    }

    public void Dispose() => _owned.ForEach(m => m.Dispose());
}

/// <summary>
/// Reads an instrumented program's profiling maps window by window and keeps an aged profile. It does not care where the
/// packets come from: <c>BPF_PROG_TEST_RUN</c> replays of a trace, or live traffic once the instrumented program is
/// swapped in on an interface. Each <see cref="EndWindow"/> reads, per CPU, the samples written since the last read (the
/// ring's sequence numbers tell which; a CPU that wrapped its ring loses its oldest), the branch counters' growth and the
/// packet count; multiplies every earlier count by <see cref="ProfilerOptions.Decay"/>; and adds the new ones scaled by
/// the sampling rates (keys by <see cref="InstrumentationLayout.SampleRate"/>, branches by
/// <see cref="InstrumentationLayout.BranchSampleRate"/>). Counts are kept in the original's coordinates (site numbers,
/// a branch's function and block), so <see cref="Attach"/> can move the reading to another instrumented program of the
/// same original (a specialized program that profiles itself) and the counts age on across it. Not thread-safe.
/// </summary>
public sealed class Profiler : IDisposable
{
    private readonly ProfilerOptions _options;
    private readonly bool _ownsVariant;
    private ProfileMaps _maps;
    private readonly Dictionary<int, ProfiledSite> _sites = [];
    private readonly Dictionary<int, Dictionary<string, double>> _keys = [];
    private readonly Dictionary<int, double> _lookups = [];
    // Read during the current window (Collect), added after the earlier counts are aged.
    private readonly Dictionary<int, Dictionary<string, double>> _windowKeys = [];
    private readonly Dictionary<int, double> _windowLookups = [];
    private int _windowSamples;
    private int _windowLost;
    // Both ways of each branch ever profiled, by the original's function and block, in the order first seen.
    private readonly Dictionary<(string Function, int Block), double[]> _branchCounts = [];
    private readonly List<(string Function, int Block)> _branchOrder = [];
    private ulong[] _lastBranchTotals = [];
    private ulong[] _lastHead = [];
    private ulong _lastPackets;
    private double _packets;
    private TimeSpan _duration;
    private readonly Stopwatch _clock = Stopwatch.StartNew();
    private int _windows;

    /// <summary>Profiles an instrumented program that is already loaded (on the live maps, see <see cref="Load"/>).</summary>
    /// <param name="ownsVariant">Dispose <paramref name="instrumented"/> with the profiler.</param>
    public Profiler(LoadedVariant instrumented, InstrumentationLayout layout, ProfilerOptions? options = null, bool ownsVariant = false)
    {
        Instrumented = instrumented;
        _options = options ?? ProfilerOptions.Default;
        _ownsVariant = ownsVariant;
        Layout = layout;
        _maps = ProfileMaps.Of(instrumented);
        Attach(_maps, layout);
    }

    /// <summary>Builds the instrumented variant of <paramref name="source"/>, loads it on <paramref name="original"/>'s maps
    /// and profiles it.</summary>
    public static Profiler Load(ProgramSource source, LoadedVariant original, InstrumentationOptions? instrumentation = null,
        ProfilerOptions? options = null)
    {
        var build = InstrumentedObject.Build(source, instrumentation);
        var variant = LoadedVariant.Load("instrumented", build.Elf, original.Program.Name, shareMapsWith: original);
        try
        {
            return new Profiler(variant, build.Layout, options, ownsVariant: true);
        }
        catch
        {
            variant.Dispose();
            throw;
        }
    }

    /// <summary>
    /// Reads <paramref name="maps"/> (of a program <paramref name="layout"/> describes) from now on, from what its counters
    /// hold now: a profiler attached late does not count what came before it. Close the window of the program read
    /// until now first (<see cref="EndWindow"/>): what it recorded since is not read. The aged counts carry on.
    /// </summary>
    public void Attach(ProfileMaps maps, InstrumentationLayout layout)
    {
        if (!ReferenceEquals(maps, _maps))
            _maps.Dispose();
        _maps = maps;
        Layout = layout;
        foreach (var site in layout.Sites)
            _sites[site.Site] = site;
        foreach (var branch in layout.Branches)
            if (_branchCounts.TryAdd((branch.Function, branch.Block), new double[2]))
                _branchOrder.Add((branch.Function, branch.Block));
        var (packets, heads) = ReadState();
        _lastPackets = packets;
        _lastHead = heads;
        _lastBranchTotals = ReadBranchTotals();
    }

    /// <summary>
    /// Opens a profile window in a windowed program (<see cref="InstrumentationOptions.Windowed"/>): it samples until
    /// <see cref="CloseWindow"/>, or by itself until <paramref name="length"/> is up (a window left open by a process that
    /// died closes itself then).
    /// </summary>
    public void OpenWindow(TimeSpan length) => _maps.OpenWindow(length);

    /// <summary>Closes the window <see cref="OpenWindow"/> opened: the program samples nothing from now on.</summary>
    public void CloseWindow() => _maps.CloseWindow();

    /// <summary>Whether the program's window is open now (it closes itself at its end, on the first sampled packet after).</summary>
    public bool WindowOpen => _maps.WindowOpen;

    /// <summary>The instrumented variant the profiler was made for (it may read another program since, <see cref="Attach"/>).</summary>
    public LoadedVariant Instrumented { get; }
    /// <summary>The layout of the program read now.</summary>
    public InstrumentationLayout Layout { get; private set; }

    /// <summary>Reads the keys recorded since the last read into the current window, without closing it: call it often
    /// enough that no CPU writes more than <see cref="InstrumentationLayout.RingSlots"/> samples in between (the ring
    /// wraps, and <see cref="ProfileWindow.LostSamples"/> counts what it overwrote).</summary>
    public void Collect() => CollectSamples();

    /// <summary><see cref="Collect"/>, returning the packet count read with the ring heads.</summary>
    private ulong CollectSamples()
    {
        var (packets, heads) = ReadState();
        var (samples, lost) = ReadSamples(heads, Layout.SampleRate);
        _windowSamples += samples;
        _windowLost += lost;
        _lastHead = heads;
        return packets;
    }

    /// <summary>Closes the current window: reads what the program recorded since the last one and ages the rest.</summary>
    public ProfileWindow EndWindow()
    {
        var elapsed = _clock.Elapsed;
        _clock.Restart();
        var packets = CollectSamples();
        var decay = _options.Decay;

        foreach (var counts in _keys.Values)
            foreach (var key in counts.Keys.ToList())
                counts[key] *= decay;
        foreach (var site in _lookups.Keys.ToList())
            _lookups[site] *= decay;
        foreach (var counts in _branchCounts.Values)
        {
            counts[0] *= decay;
            counts[1] *= decay;
        }
        _packets *= decay;

        foreach (var (site, window) in _windowKeys)
        {
            if (!_keys.TryGetValue(site, out var counts))
                _keys[site] = counts = [];
            foreach (var (key, count) in window)
                counts[key] = counts.GetValueOrDefault(key) + count;
        }
        foreach (var (site, count) in _windowLookups)
            _lookups[site] = _lookups.GetValueOrDefault(site) + count;
        var (samples, lost) = (_windowSamples, _windowLost);
        _windowKeys.Clear();
        _windowLookups.Clear();
        (_windowSamples, _windowLost) = (0, 0);

        var totals = ReadBranchTotals();
        foreach (var branch in Layout.Branches)
        {
            var counts = _branchCounts[(branch.Function, branch.Block)];
            for (var way = 0; way < 2; way++)
                counts[way] += (totals[2 * branch.Index + way] - _lastBranchTotals[2 * branch.Index + way]) * (double)Layout.BranchSampleRate;
        }
        var newPackets = (packets - _lastPackets) * (ulong)Layout.PacketRate;
        _packets += newPackets;
        _lastBranchTotals = totals;
        _lastPackets = packets;
        _duration += elapsed;
        Trim();
        return new ProfileWindow(++_windows, elapsed, newPackets, samples, lost);
    }

    /// <summary>
    /// The latest sampled packets shorter than <see cref="InstrumentationLayout.PacketBytes"/> (XDP programs only), newest
    /// first: live traffic for the differential check. Longer packets are not kept (truncated, they would be other
    /// packets).
    /// </summary>
    public IReadOnlyList<byte[]> RecentPackets()
    {
        if (_maps.Packets is not { } map)
            return [];
        const int size = ProfileRecordLayout.Packet.Size;
        var stride = ProfileRecordLayout.PerCpuStride(size);
        var packets = new List<(ulong Seq, byte[] Bytes)>();
        foreach (var (_, value) in map.Entries())
            for (var at = 0; at + size <= value.Length; at += stride)
            {
                var slot = value.AsSpan(at, size);
                var seq = BinaryPrimitives.ReadUInt64LittleEndian(slot[ProfileRecordLayout.Packet.Seq..]);
                var length = (int)BinaryPrimitives.ReadUInt32LittleEndian(slot[ProfileRecordLayout.Packet.Length..]);
                var full = BinaryPrimitives.ReadUInt32LittleEndian(slot[ProfileRecordLayout.Packet.Full..]);
                if (seq != 0 && length >= ProfileRecordLayout.Packet.MinBytes && length == full && length < ProfileRecordLayout.Packet.MaxBytes)
                    packets.Add((seq, slot.Slice(ProfileRecordLayout.Packet.Bytes, length).ToArray()));
            }
        return packets.OrderByDescending(p => p.Seq).Select(p => p.Bytes).ToList();
    }

    /// <summary>The aged profile as of the last window.</summary>
    public Profile Snapshot() => new()
    {
        Program = Layout.Program,
        IrHash = Layout.IrHash,
        Recorded = DateTimeOffset.UtcNow,
        Duration = _duration,
        Packets = (ulong)Math.Round(_packets),
        Sites = _sites.Values.OrderBy(s => s.Site).Select(s => new SiteProfile(s.Site, s.Map, s.Function, _lookups.GetValueOrDefault(s.Site),
            _keys.TryGetValue(s.Site, out var counts)
                ? counts.OrderByDescending(k => k.Value).ThenBy(k => k.Key, StringComparer.Ordinal).Take(_options.KeysPerSite)
                    .Select(k => new HotKey(Convert.FromHexString(k.Key), k.Value)).ToList()
                : [])).ToList(),
        Branches = _branchOrder.Select(b => new BranchProfile(b.Function, b.Block, _branchCounts[b][0], _branchCounts[b][1])).ToList(),
    };

    private (int Samples, int Lost) ReadSamples(ulong[] heads, double rate)
    {
        var cpus = heads.Length;
        var wanted = 0UL;
        for (var cpu = 0; cpu < cpus; cpu++)
            wanted += heads[cpu] - _lastHead[cpu];
        if (wanted == 0)
            return (0, 0);
        var sampleSize = ProfileRecordLayout.Sample.Size(Layout.KeyBytes);
        var stride = ProfileRecordLayout.PerCpuStride(sampleSize);
        var perCpu = ProfileRecordLayout.PerCpuStride(Layout.RingSlots * stride);
        int samples = 0, lost = 0;
        if (_maps.Ring is null)
            return (0, 0);
        var ring = _maps.Ring.Lookup(new byte[4]) ?? throw new KecleonException($"cannot read {InstrumentationLayout.RingMap}");
        for (var cpu = 0; cpu < cpus; cpu++)
            for (var slot = 0; slot < Layout.RingSlots; slot++)
            {
                var sample = ring.AsSpan(cpu * perCpu + slot * stride, sampleSize);
                var seq = BinaryPrimitives.ReadUInt64LittleEndian(sample[ProfileRecordLayout.Sample.Seq..]);
                // New on this CPU: written after the last read, and not yet overwritten by a later lap of the ring.
                if (seq <= _lastHead[cpu] || seq > heads[cpu] || seq + (ulong)Layout.RingSlots <= heads[cpu])
                    continue;
                var site = (int)BinaryPrimitives.ReadUInt32LittleEndian(sample[ProfileRecordLayout.Sample.Site..]);
                var length = (int)Math.Min(BinaryPrimitives.ReadUInt32LittleEndian(sample[ProfileRecordLayout.Sample.Length..]), (uint)Layout.KeyBytes);
                if (!_sites.ContainsKey(site))
                    continue;
                var key = Convert.ToHexString(sample.Slice(ProfileRecordLayout.Sample.Key, length));
                if (!_windowKeys.TryGetValue(site, out var counts))
                    _windowKeys[site] = counts = [];
                counts[key] = counts.GetValueOrDefault(key) + rate;
                _windowLookups[site] = _windowLookups.GetValueOrDefault(site) + rate;
                samples++;
            }
        for (var cpu = 0; cpu < cpus; cpu++)
            lost += (int)Math.Max(0, (long)(heads[cpu] - _lastHead[cpu]) - Layout.RingSlots);
        return (samples, lost);
    }

    private void Trim()
    {
        foreach (var counts in _keys.Values)
        {
            foreach (var key in counts.Where(k => k.Value < 1e-3).Select(k => k.Key).ToList())
                counts.Remove(key);
            if (counts.Count > _options.TrackedKeysPerSite)
                foreach (var key in counts.OrderBy(k => k.Value).Take(counts.Count - _options.TrackedKeysPerSite).Select(k => k.Key).ToList())
                    counts.Remove(key);
        }
    }

    private (ulong Packets, ulong[] Heads) ReadState()
    {
        var value = _maps.State.Lookup(new byte[4]) ?? throw new KecleonException($"cannot read {InstrumentationLayout.StateMap}");
        var stride = ProfileRecordLayout.PerCpuStride(_maps.State.ValueSize);
        var cpus = value.Length / stride;
        ulong packets = 0;
        var heads = new ulong[cpus];
        for (var cpu = 0; cpu < cpus; cpu++)
        {
            packets += BinaryPrimitives.ReadUInt64LittleEndian(value.AsSpan(cpu * stride + ProfileRecordLayout.Cpu.Packets));
            heads[cpu] = BinaryPrimitives.ReadUInt64LittleEndian(value.AsSpan(cpu * stride + ProfileRecordLayout.Cpu.Head));
        }
        return (packets, heads);
    }

    /// <summary>Every branch counter summed over the CPUs: element e of <see cref="InstrumentationLayout.BranchMap"/>
    /// holds counters e × n to e × n + n − 1 per CPU (n = its value size over 8), one CPU's value after the other.</summary>
    private ulong[] ReadBranchTotals()
    {
        var totals = new ulong[2 * Layout.Branches.Count];
        if (_maps.Branches is null)
            return totals;
        var perSlot = _maps.Branches.ValueSize / ProfileRecordLayout.Counters.CounterBytes;
        var stride = ProfileRecordLayout.PerCpuStride(_maps.Branches.ValueSize);
        foreach (var (key, value) in _maps.Branches.Entries())
        {
            var first = (long)BinaryPrimitives.ReadUInt32LittleEndian(key) * perSlot;
            for (var cpu = 0; cpu + stride <= value.Length; cpu += stride)
                for (var i = 0; i < perSlot && first + i < totals.Length; i++)
                    totals[first + i] += BinaryPrimitives.ReadUInt64LittleEndian(value.AsSpan(cpu + ProfileRecordLayout.Counters.Count + ProfileRecordLayout.Counters.CounterBytes * i));
        }
        return totals;
    }

    public void Dispose()
    {
        _maps.Dispose();
        if (_ownsVariant)
            Instrumented.Dispose();
    }
}
