using System.Buffers.Binary;
using Kecleon.Access;
using Kecleon.Analyses;
using Kecleon.Bpf;
using Kecleon.Optimizer.Specialization;

namespace Kecleon.Runtime.Optimization;

/// <summary>
/// Packets that make the differential check visit every specialized key, whatever the trace holds: for each lookup site
/// into a specialized map, the key's non-constant bytes are written into copies of trace packets at the header fields
/// the analysis says they come from (<see cref="KeyOrigin"/>: <c>{+0: 32, +4: ip.daddr}</c>). The keys are every
/// snapshot key and its near misses (each byte ± 1 of a key up to 4 bytes, else the last), and for an LPM table every range's first address and the address
/// just below it (the last of the range before). A key byte whose origin has no name (the firewall's <c>flow.saddr</c>
/// copy reads as "stack") is tried at each IPv4 / L4 field of its size.
/// </summary>
public static class ProbePackets
{
    /// <summary>Upper bound on probe packets per cycle (the router's 5,127 ranges make about 10,000).</summary>
    public const int DefaultLimit = 16_384;

    /// <summary>Most trace packets one key is written into, when the limit leaves room for more than one.</summary>
    public const int MaxCopies = 4;

    private sealed record Placement(int KeyOffset, int Size, string Field);

    /// <param name="previous">The snapshots the program being replaced was built on: the keys whose entries changed
    /// since are probed first, all of them, before the evenly spread rest fills up to <paramref name="limit"/> (a
    /// re-specialization after a control-plane write can then check a smaller sample without missing the change).</param>
    /// <remarks>The rest is never listed whole: a blocklist of 100,000 prefixes and 20,000 hosts has about half a million
    /// probe keys, of which a re-specialization's check takes a few hundred. Each map's keys are a <see cref="KeySet"/>
    /// that gives its i-th key on demand, so only the keys chosen are made.</remarks>
    public static IReadOnlyList<byte[]> Build(ProgramAnalysis analysis, IReadOnlyList<MapSnapshot> specialized, IReadOnlyList<byte[]> trace,
        int limit = DefaultLimit, IReadOnlyList<MapSnapshot>? previous = null)
    {
        var bases = trace.Where(p => Locate(p, "ip.daddr", 4) is not null).ToList();
        if (bases.Count == 0 || specialized.Count == 0)
            return [];
        // Each key with its placements, then as many copies of each on different trace packets as the budget allows: in a
        // classifier a key's answer shows only when the packet's other fields meet a rule it changes.
        var changedJobs = new List<(byte[] Key, List<Placement> Placements)>();
        var rest = new List<(KeySet Keys, List<Placement> Placements)>();
        foreach (var snapshot in specialized)
        {
            var keys = KeySet.Of(snapshot);
            var changedKeys = ChangedKeys(snapshot, previous?.FirstOrDefault(p => p.Name == snapshot.Name)).ToList();
            foreach (var site in analysis.LookupSites.Where(s => s.Maps.Count == 1 && s.Maps[0].Name == snapshot.Name))
            {
                foreach (var placements in Placements(site.Key, snapshot.KeySize))
                {
                    rest.Add((keys, placements));
                    changedJobs.AddRange(changedKeys.Select(k => (k, placements)));
                }
            }
        }
        var restCount = rest.Sum(r => (long)r.Keys.Count);
        var copies = (int)Math.Clamp(limit / Math.Max(1, changedJobs.Count + restCount), 1, MaxCopies);
        var next = 0;
        var packets = new List<byte[]>();
        void Make(byte[] key, List<Placement> placements)
        {
            for (int copy = 0, tried = 0; copy < copies && tried < 2 * copies; tried++)
            {
                var packet = (byte[])bases[next++ % bases.Count].Clone();
                if (!Write(packet, key, placements))
                    continue;
                packets.Add(packet);
                copy++;
            }
        }
        // Every changed key; of the rest, more than the limit leaves room for are evenly spread, so each map and each part
        // of a table keeps its share (chosen before their packets are made).
        foreach (var (key, placements) in changedJobs)
            Make(key, placements);
        var room = Math.Max(0, limit - packets.Count);
        if (restCount * copies <= room)
        {
            foreach (var (keys, placements) in rest)
                for (var i = 0; i < keys.Count; i++)
                    Make(keys[i], placements);
            return packets;
        }
        copies = 1;
        var job = 0;
        long before = 0; // the keys of the jobs before the current one
        for (var i = 0; i < room; i++)
        {
            var index = (long)i * restCount / room;
            while (index >= before + rest[job].Keys.Count)
                before += rest[job++].Keys.Count;
            Make(rest[job].Keys[(int)(index - before)], rest[job].Placements);
        }
        return packets;
    }

    /// <summary>Keys whose entries differ between <paramref name="before"/> and <paramref name="now"/> (added, removed or
    /// changed), with their near misses; for an IPv4 LPM table, the first and last address of each changed prefix and
    /// the addresses just outside it.</summary>
    private static IEnumerable<byte[]> ChangedKeys(MapSnapshot now, MapSnapshot? before)
    {
        // The same snapshot: the map was not read again, as no write reached it.
        if (before is null || ReferenceEquals(before, now) || SameEntries(before, now))
            yield break;
        var old = Index(before);
        var current = Index(now);
        var keys = current.Where(e => !old.TryGetValue(e.Key, out var value) || !value.AsSpan().SequenceEqual(e.Value)).Select(e => e.Key)
            .Concat(old.Keys.Where(k => !current.ContainsKey(k)));
        foreach (var key in keys)
        {
            if (now.Type == BpfMapType.LpmTrie && now.KeySize == 8)
            {
                var length = (int)Math.Min(32u, BinaryPrimitives.ReadUInt32LittleEndian(key));
                var mask = length == 0 ? 0u : uint.MaxValue << (32 - length);
                var start = BinaryPrimitives.ReadUInt32BigEndian(key.AsSpan(4)) & mask;
                var end = start | ~mask;
                yield return LpmKey(start);
                yield return LpmKey(end);
                if (start > 0)
                    yield return LpmKey(start - 1);
                if (end < uint.MaxValue)
                    yield return LpmKey(end + 1);
                continue;
            }
            yield return key;
            foreach (var near in NearMisses(key))
                yield return near;
        }
    }

    /// <summary>The same entries in the same order: a map read twice with no change between (a table of thousands of
    /// routes, rewritten as it was, need not be compared key by key).</summary>
    private static bool SameEntries(MapSnapshot before, MapSnapshot now) =>
        before.Entries.Count == now.Entries.Count
        && before.Entries.Zip(now.Entries).All(p => p.First.Key.AsSpan().SequenceEqual(p.Second.Key) && p.First.Value.AsSpan().SequenceEqual(p.Second.Value));

    /// <summary>A snapshot's entries by key (a later entry of the same key wins).</summary>
    private static Dictionary<byte[], byte[]> Index(MapSnapshot snapshot)
    {
        var index = new Dictionary<byte[], byte[]>(snapshot.Entries.Count, ByteKeyComparer.Instance);
        foreach (var (key, value) in snapshot.Entries)
            index[key] = value;
        return index;
    }

    /// <summary>
    /// The keys worth a packet, the i-th made on demand: each snapshot key and its near misses (<see cref="NearMisses"/>),
    /// in key order; for an IPv4 LPM table, each range's first address and the one before it, as /32 lookups.
    /// </summary>
    /// <remarks>In key order, not the kernel's hash order (which differs from map to map): which trace packets a key's
    /// copies are written into, and so whether a wrong answer for it shows, must not change from one snapshot of the
    /// same contents to the next. The order is made once per snapshot, as <see cref="LpmRanges.Of"/> makes its
    /// ranges.</remarks>
    private sealed class KeySet
    {
        private static readonly System.Runtime.CompilerServices.ConditionalWeakTable<MapSnapshot, KeySet> Cache = new();

        private readonly IReadOnlyList<LpmRanges.Range>? _ranges;
        private readonly byte[][] _sorted = [];
        private readonly int _stride;

        public int Count { get; }

        private KeySet(MapSnapshot snapshot)
        {
            if (snapshot.Type == BpfMapType.LpmTrie && snapshot.KeySize == 8)
            {
                // Range 0 starts at address 0, which has no address before it: 2 keys per range but 1 for the first.
                _ranges = LpmRanges.Of(snapshot);
                Count = Math.Max(0, 2 * _ranges.Count - 1);
                return;
            }
            _sorted = snapshot.Entries.Select(e => e.Key).ToArray();
            Array.Sort(_sorted, static (a, b) => a.AsSpan().SequenceCompareTo(b));
            _stride = 1 + 2 * (snapshot.KeySize <= 4 ? snapshot.KeySize : 1);
            Count = (int)Math.Min(int.MaxValue, (long)_sorted.Length * _stride);
        }

        public static KeySet Of(MapSnapshot snapshot) => Cache.GetValue(snapshot, s => new KeySet(s));

        public byte[] this[int index]
        {
            get
            {
                if (_ranges is not null)
                {
                    var slot = index + 1; // range r's first address at 2r, the one before it at 2r + 1 (none for range 0)
                    var start = _ranges[slot / 2].Start;
                    return LpmKey(slot % 2 == 0 ? start : start - 1);
                }
                var key = _sorted[index / _stride];
                var miss = index % _stride - 1;
                return miss < 0 ? key : NearMiss(key, miss);
            }
        }
    }

    /// <summary>A key's near misses, in order (<see cref="NearMiss"/> gives the i-th alone).</summary>
    private static IEnumerable<byte[]> NearMisses(byte[] key)
    {
        var count = 2 * (key.Length <= 4 ? key.Length : 1);
        for (var i = 0; i < count; i++)
            yield return NearMiss(key, i);
    }

    /// <summary>A key's i-th neighbour: each byte ± 1 for a key of up to 4 bytes (so a field's neighbours, whatever its
    /// byte order, and the edges of a key table's gaps: the inliner makes key tables of such keys), the last byte ± 1 for
    /// a wider one; byte by byte, + 1 before - 1.</summary>
    private static byte[] NearMiss(byte[] key, int i)
    {
        var near = (byte[])key.Clone();
        var at = (key.Length <= 4 ? 0 : key.Length - 1) + i / 2;
        near[at] = (byte)(near[at] + (i % 2 == 0 ? 1 : -1));
        return near;
    }

    private static byte[] LpmKey(uint address)
    {
        var key = new byte[8];
        BinaryPrimitives.WriteUInt32LittleEndian(key, 32);
        BinaryPrimitives.WriteUInt32BigEndian(key.AsSpan(4), address);
        return key;
    }

    /// <summary>Where the key's variable bytes go in a packet: one list per way of placing them (a named field has one;
    /// an unnamed one, one per IPv4 / L4 field of its size). Nothing when some bytes come from outside the packet.</summary>
    private static IEnumerable<List<Placement>> Placements(KeyOrigin? origin, int keySize)
    {
        if (origin is null)
            yield break;
        if (origin.Kind == KeyOriginKind.Packet && PacketFields.TryLocate(origin.Description, out _, out _, out var size) && size == keySize)
        {
            yield return [new Placement(0, keySize, origin.Description)];
            yield break;
        }
        if (origin.Kind != KeyOriginKind.Stack)
            yield break;
        var named = new List<Placement>();
        KeyField? unnamed = null;
        foreach (var field in origin.Fields.Where(f => !f.IsConstant))
        {
            // Alternatives from different paths ("ip.protocol | 6 | 17"): the header field among them.
            var source = field.Source.Split(" | ").FirstOrDefault(a => PacketFields.TryLocate(a, out _, out _, out var size) && size == field.Size);
            if (source is not null)
                named.Add(new Placement(field.Offset, field.Size, source));
            else if (unnamed is null)
                unnamed = field;
            else
                yield break; // two unplaceable parts: too many combinations to guess
        }
        if (unnamed is null)
        {
            if (named.Count > 0)
                yield return named;
            yield break;
        }
        string[] candidates = unnamed.Size switch
        {
            4 => ["ip.saddr", "ip.daddr"],
            2 => ["l4.sport", "l4.dport"],
            1 => ["ip.protocol"],
            _ => [],
        };
        foreach (var candidate in candidates)
            yield return [.. named, new Placement(unnamed.Offset, unnamed.Size, candidate)];
    }

    private static bool Write(byte[] packet, byte[] key, List<Placement> placements)
    {
        foreach (var placement in placements)
        {
            if (placement.KeyOffset + placement.Size > key.Length || Locate(packet, placement.Field, placement.Size) is not { } at)
                return false;
            key.AsSpan(placement.KeyOffset, placement.Size).CopyTo(packet.AsSpan(at));
        }
        return true;
    }

    /// <summary>The offset of a header field in an Ethernet frame (VLAN tags skipped, IPv4 with options), if the frame has
    /// that header and it is long enough.</summary>
    private static int? Locate(byte[] packet, string field, int size)
    {
        if (!PacketFields.TryLocate(field, out var header, out var offset, out _))
            return null;
        if (packet.Length < 14)
            return null;
        var l3 = 14;
        var proto = BinaryPrimitives.ReadUInt16BigEndian(packet.AsSpan(12));
        var vlan = -1;
        while (proto is 0x8100 or 0x88A8 && packet.Length >= l3 + 4)
        {
            vlan = vlan < 0 ? l3 : vlan;
            proto = BinaryPrimitives.ReadUInt16BigEndian(packet.AsSpan(l3 + 2));
            l3 += 4;
        }
        int? l4 = null;
        if (proto == 0x0800 && packet.Length >= l3 + 20 && (packet[l3] >> 4) == 4)
        {
            var ihl = (packet[l3] & 0x0F) * 4;
            if (ihl >= 20 && packet[l3 + 9] is 6 or 17)
                l4 = l3 + ihl;
        }
        int? start = header switch
        {
            "eth" => 0,
            "vlan" => vlan < 0 ? null : vlan,
            "ip" => proto == 0x0800 ? l3 : null,
            "tcp" => l4 is not null && packet[l3 + 9] == 6 ? l4 : null,
            "udp" => l4 is not null && packet[l3 + 9] == 17 ? l4 : null,
            "l4" => l4,
            _ => null,
        };
        return start is { } s && s + offset + size <= packet.Length ? s + offset : null;
    }
}
