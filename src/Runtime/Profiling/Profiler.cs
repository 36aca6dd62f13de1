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
/// Reads an instrumented program's profiling maps window by window and keeps an aged profile. It does not care where the
/// packets come from: <c>BPF_PROG_TEST_RUN</c> replays of a trace, or live traffic once the instrumented program is
/// swapped in on an interface. Each <see cref="EndWindow"/> reads, per CPU, the samples written since the last read (the
/// ring's sequence numbers tell which; a CPU that wrapped its ring loses its oldest), the branch counters' growth and the
/// packet count; multiplies every earlier count by <see cref="ProfilerOptions.Decay"/>; and adds the new ones scaled by
/// the sampling rates (keys by <see cref="InstrumentationLayout.SampleRate"/>, branches by
/// <see cref="InstrumentationLayout.BranchSampleRate"/>). Not thread-safe.
/// </summary>
public sealed class Profiler : IDisposable
{
    private readonly ProfilerOptions _options;
    private readonly bool _ownsVariant;
    private readonly BpfMapAccess _state;
    private readonly BpfMapAccess _ring;
    private readonly BpfMapAccess _branches;
    private readonly Dictionary<int, ProfiledSite> _sites;
    private readonly Dictionary<int, Dictionary<string, double>> _keys = [];
    private readonly Dictionary<int, double> _lookups = [];
    // Read during the current window (Collect), added after the earlier counts are aged.
    private readonly Dictionary<int, Dictionary<string, double>> _windowKeys = [];
    private readonly Dictionary<int, double> _windowLookups = [];
    private int _windowSamples;
    private int _windowLost;
    private readonly double[] _branchCounts;
    private ulong[] _lastBranchTotals;
    private ulong[] _lastHead;
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
        Layout = layout;
        _options = options ?? ProfilerOptions.Default;
        _ownsVariant = ownsVariant;
        BpfMapAccess Find(string name) => instrumented.Object.FindMap(name)
            ?? throw new KecleonException($"{instrumented.Name} is not instrumented: it has no map {name}");
        _state = Find(InstrumentationLayout.StateMap);
        _ring = Find(InstrumentationLayout.RingMap);
        _branches = Find(InstrumentationLayout.BranchMap);
        _sites = layout.Sites.ToDictionary(s => s.Site);
        _branchCounts = new double[2 * layout.Branches.Count];
        // Start from what the counters hold now: a profiler attached late does not count what came before it.
        var (packets, heads) = ReadState();
        _lastPackets = packets;
        _lastHead = heads;
        _lastBranchTotals = ReadBranchTotals();
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

    public LoadedVariant Instrumented { get; }
    public InstrumentationLayout Layout { get; }

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
        for (var i = 0; i < _branchCounts.Length; i++)
            _branchCounts[i] *= decay;
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
        for (var i = 0; i < _branchCounts.Length; i++)
            _branchCounts[i] += (totals[i] - _lastBranchTotals[i]) * (double)Layout.BranchSampleRate;
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
        if (Instrumented.Object.FindMap(InstrumentationLayout.PacketMap) is not { } map)
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
        Sites = Layout.Sites.Select(s => new SiteProfile(s.Site, s.Map, s.Function, _lookups.GetValueOrDefault(s.Site),
            _keys.TryGetValue(s.Site, out var counts)
                ? counts.OrderByDescending(k => k.Value).ThenBy(k => k.Key, StringComparer.Ordinal).Take(_options.KeysPerSite)
                    .Select(k => new HotKey(Convert.FromHexString(k.Key), k.Value)).ToList()
                : [])).ToList(),
        Branches = Layout.Branches.Select(b => new BranchProfile(b.Function, b.Block, _branchCounts[2 * b.Index], _branchCounts[2 * b.Index + 1])).ToList(),
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
        var ring = _ring.Lookup(new byte[4]) ?? throw new KecleonException($"cannot read {InstrumentationLayout.RingMap}");
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
        var value = _state.Lookup(new byte[4]) ?? throw new KecleonException($"cannot read {InstrumentationLayout.StateMap}");
        var stride = ProfileRecordLayout.PerCpuStride(_state.ValueSize);
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
        var totals = new ulong[_branchCounts.Length];
        var perSlot = _branches.ValueSize / ProfileRecordLayout.Counters.CounterBytes;
        var stride = ProfileRecordLayout.PerCpuStride(_branches.ValueSize);
        foreach (var (key, value) in _branches.Entries())
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
        if (_ownsVariant)
            Instrumented.Dispose();
    }
}
