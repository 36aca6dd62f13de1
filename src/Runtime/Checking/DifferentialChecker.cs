using System.Buffers.Binary;
using System.Diagnostics;
using Kecleon.Bpf;
using Kecleon.Runtime.Deployment;

namespace Kecleon.Runtime.Checking;

/// <summary>What to compare and how often.</summary>
public sealed record DiffOptions
{
    public static readonly DiffOptions Default = new();

    /// <summary>Compare the maps after every N packets (1 = after each); 0 compares them only after the last packet.</summary>
    public int CompareMapsEvery { get; init; } = 1;
    /// <summary>Stop after this many mismatches.</summary>
    public int MaxMismatches { get; init; } = 10;
    /// <summary>Maps with more entries than this are compared only after the last packet: a snapshot of a 655,370-slot
    /// ring after every packet would cost more than the check itself.</summary>
    public int LargeMapEntries { get; init; } = 65_536;
    /// <summary>Maps left out of the comparison, by name.</summary>
    public IReadOnlySet<string> IgnoredMaps { get; init; } = new HashSet<string>();
    /// <summary>Told after each packet: packets compared, packets to compare, mismatches so far (a progress display).</summary>
    public Action<int, int, int>? Progress { get; init; }
}

public enum MismatchKind { Verdict, Output, Map }

/// <summary>One difference between the two variants, on one packet.</summary>
public sealed record Mismatch(int PacketIndex, byte[] Packet, MismatchKind Kind, string Description);

public sealed record DiffReport(string A, string B, int Packets, IReadOnlyList<Mismatch> Mismatches, IReadOnlyList<string> ComparedMaps)
{
    public bool Equivalent => Mismatches.Count == 0;
}

/// <summary>
/// Runs two variants on the same packets, in order, each with its own copy of every map, and compares verdicts, output
/// bytes, and the maps' contents. Per-CPU values are compared as their sum over CPUs (the checker's thread may move
/// between CPUs). A 64-bit field that holds, in both variants, a time inside the check's own window of the monotonic
/// clock (what <c>bpf_ktime_get_ns</c> reads) is a timestamp the program took, and counts as equal.
/// </summary>
public static class DifferentialChecker
{
    public static DiffReport Check(LoadedVariant a, LoadedVariant b, IReadOnlyList<byte[]> packets, DiffOptions? options = null)
    {
        options ??= DiffOptions.Default;
        // Frames the kernel cannot test-run for this program type (a truncated IP header for TC) say nothing about either.
        packets = packets.Where(p => BpfTestRun.Takes(a.Program.Type, p)).ToList();
        var maps = PairMaps(a, b, options);
        var mismatches = new List<Mismatch>();
        var windowStart = MonotonicNs();
        for (var i = 0; i < packets.Count && mismatches.Count < options.MaxMismatches; i++)
        {
            var packet = packets[i];
            var ra = a.Program.TestRun(packet);
            var rb = b.Program.TestRun(packet);
            if (ra.ReturnValue != rb.ReturnValue)
                mismatches.Add(new Mismatch(i, packet, MismatchKind.Verdict,
                    $"{a.Name} returned {a.Program.Type.DescribeVerdict(ra.ReturnValue)}, {b.Name} returned {b.Program.Type.DescribeVerdict(rb.ReturnValue)}"));
            else if (!ra.Output.AsSpan().SequenceEqual(rb.Output))
                mismatches.Add(new Mismatch(i, packet, MismatchKind.Output, DescribeOutputDifference(ra.Output, rb.Output)));
            var last = i == packets.Count - 1;
            if (options.CompareMapsEvery > 0 && (i + 1) % options.CompareMapsEvery == 0 || last)
                foreach (var (ma, mb) in maps.Where(m => last || m.A.MaxEntries <= options.LargeMapEntries && MapKindTreatment.Of(m.A).Compare != CheckComparison.InOrder))
                    if (CompareMap(ma, mb, windowStart, MonotonicNs()) is { } difference)
                    {
                        mismatches.Add(new Mismatch(i, packet, MismatchKind.Map, $"map {ma.Name}: {difference}"));
                        break;
                    }
            options.Progress?.Invoke(i + 1, packets.Count, mismatches.Count);
        }
        return new DiffReport(a.Name, b.Name, packets.Count, mismatches, maps.Select(m => m.A.Name).ToList());
    }

    private static List<(BpfMap A, BpfMap B)> PairMaps(LoadedVariant a, LoadedVariant b, DiffOptions options)
    {
        var pairs = new List<(BpfMap, BpfMap)>();
        foreach (var ma in a.Object.Maps)
        {
            if (options.IgnoredMaps.Contains(ma.Name) || ma.Name.EndsWith(".rodata", StringComparison.Ordinal))
                continue;
            // Global-data maps are named after their object ("router.bss"); pair them by section.
            var mb = ma.IsInternal
                ? b.Object.Maps.FirstOrDefault(m => m.IsInternal && Path.GetExtension(m.Name) == Path.GetExtension(ma.Name))
                : b.Object.FindMap(ma.Name);
            if (mb is null || MapKindTreatment.Of(ma).Compare == CheckComparison.None)
                continue;
            if (ma.Fd == mb.Fd || ma.Info().Id == mb.Info().Id)
                throw new KecleonException($"{a.Name} and {b.Name} share map {ma.Name}: the checker needs independent copies");
            pairs.Add((ma, mb));
        }
        return pairs;
    }

    /// <summary>The first difference between the two copies, or null. Maps compared key by key are keyed by the bytes
    /// themselves (<see cref="Values"/>): a map is compared every few packets, and a connection table of thousands of
    /// entries read as text each time was half the check. The other kinds are compared as text (<see cref="Snapshot"/>).</summary>
    private static string? CompareMap(BpfMap a, BpfMap b, ulong windowStart, ulong windowEnd) =>
        MapKindTreatment.Of(a).Compare == CheckComparison.Entries
            ? FirstDifference(Values(a), Values(b), a, b, Convert.ToHexStringLower, windowStart, windowEnd)
            : FirstDifference(Snapshot(a), Snapshot(b), a, b, key => key, windowStart, windowEnd);

    private static string? FirstDifference<TKey>(Dictionary<TKey, byte[]> ea, Dictionary<TKey, byte[]> eb, BpfMap a, BpfMap b,
        Func<TKey, string> text, ulong windowStart, ulong windowEnd) where TKey : notnull
    {
        foreach (var (key, va) in ea)
        {
            if (!eb.TryGetValue(key, out var vb))
                return $"key {text(key)} is in {Side(a)} only";
            if (!ValuesEqual(va, vb, windowStart, windowEnd))
                return $"key {text(key)}: {Convert.ToHexStringLower(va)} vs {Convert.ToHexStringLower(vb)}";
        }
        foreach (var key in eb.Keys)
            if (!ea.ContainsKey(key))
                return $"key {text(key)} is in {Side(b)} only";
        return null;
    }

    /// <summary>A map's values by key; per-CPU values as their sum over CPUs.</summary>
    private static Dictionary<byte[], byte[]> Values(BpfMapAccess map)
    {
        var entries = map.Entries();
        var values = new Dictionary<byte[], byte[]>(entries.Count, ByteKeyComparer.Instance);
        var perCpu = map.Type.IsPerCpu();
        foreach (var (key, value) in entries)
            values[key] = perCpu ? SumOverCpus(value, map.ValueSize) : value;
        return values;
    }

    private static string Side(BpfMap map) => map.Object.Name;

    /// <summary>A map's contents as comparable entries, by its kind (<see cref="MapKindTreatment"/>): a queue or stack
    /// by position (taking its values), a map of maps by its inner maps' contents (their ids differ by construction).</summary>
    private static Dictionary<string, byte[]> Snapshot(BpfMapAccess map)
    {
        var result = new Dictionary<string, byte[]>();
        switch (MapKindTreatment.Of(map).Compare)
        {
            case CheckComparison.InOrder:
                for (var position = 0; map.Pop() is { } value; position++)
                    result[$"#{position}"] = value;
                return result;
            case CheckComparison.InnerMaps:
                foreach (var (key, id) in map.Entries())
                {
                    using var inner = BpfLoadedMap.OpenById(BinaryPrimitives.ReadUInt32LittleEndian(id));
                    result[Convert.ToHexStringLower(key)] = System.Text.Encoding.UTF8.GetBytes(string.Join(";",
                        Snapshot(inner).OrderBy(e => e.Key, StringComparer.Ordinal).Select(e => $"{e.Key}={Convert.ToHexStringLower(e.Value)}")));
                }
                return result;
            case CheckComparison.Programs:
                foreach (var (key, id) in map.Entries())
                {
                    using var program = BpfFd.OpenProgramById(BinaryPrimitives.ReadUInt32LittleEndian(id));
                    var info = BpfProgramInfo.FromFd(program.Value);
                    result[Convert.ToHexStringLower(key)] = System.Text.Encoding.UTF8.GetBytes($"{info.Type}:{info.Name}");
                }
                return result;
        }
        foreach (var (key, value) in map.Entries())
            result[Convert.ToHexStringLower(key)] = map.Type.IsPerCpu() ? SumOverCpus(value, map.ValueSize) : value;
        return result;
    }

    /// <summary>Adds up each CPU's copy word by word (64-bit words when the value is a multiple of 8 bytes).</summary>
    private static byte[] SumOverCpus(byte[] perCpu, int valueSize)
    {
        var stride = BpfMapAccess.PerCpuStride(valueSize);
        var sum = new byte[valueSize];
        var wide = valueSize % 8 == 0;
        for (var offset = 0; offset + stride <= perCpu.Length; offset += stride)
        {
            for (var w = 0; w < valueSize; w += wide ? 8 : 4)
            {
                if (wide)
                    BinaryPrimitives.WriteUInt64LittleEndian(sum.AsSpan(w), BinaryPrimitives.ReadUInt64LittleEndian(sum.AsSpan(w)) + BinaryPrimitives.ReadUInt64LittleEndian(perCpu.AsSpan(offset + w)));
                else
                    BinaryPrimitives.WriteUInt32LittleEndian(sum.AsSpan(w), BinaryPrimitives.ReadUInt32LittleEndian(sum.AsSpan(w)) + BinaryPrimitives.ReadUInt32LittleEndian(perCpu.AsSpan(offset + w)));
            }
        }
        return sum;
    }

    private static bool ValuesEqual(byte[] a, byte[] b, ulong windowStart, ulong windowEnd)
    {
        if (a.Length != b.Length)
            return false;
        for (var offset = 0; offset < a.Length; offset += 8)
        {
            var length = Math.Min(8, a.Length - offset);
            var wa = a.AsSpan(offset, length);
            var wb = b.AsSpan(offset, length);
            if (wa.SequenceEqual(wb))
                continue;
            if (length == 8 && IsTimestamp(BinaryPrimitives.ReadUInt64LittleEndian(wa), windowStart, windowEnd)
                            && IsTimestamp(BinaryPrimitives.ReadUInt64LittleEndian(wb), windowStart, windowEnd))
                continue;
            return false;
        }
        return true;
    }

    private static bool IsTimestamp(ulong value, ulong start, ulong end) => value >= start && value <= end;

    /// <summary>CLOCK_MONOTONIC in ns, the clock of <c>bpf_ktime_get_ns</c> (.NET's Stopwatch reads it on Linux).</summary>
    private static ulong MonotonicNs() => (ulong)(Stopwatch.GetTimestamp() * (1_000_000_000.0 / Stopwatch.Frequency));

    private static string DescribeOutputDifference(byte[] a, byte[] b)
    {
        if (a.Length != b.Length)
            return $"output is {a.Length} bytes vs {b.Length} bytes";
        var first = a.AsSpan().CommonPrefixLength(b);
        return $"output bytes differ from offset {first}: {a[first]:x2} vs {b[first]:x2}";
    }
}
