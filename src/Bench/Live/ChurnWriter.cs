using System.Buffers.Binary;
using Kecleon.Bpf;
using Kecleon.Workloads;

namespace Kecleon.Bench.Live;

/// <summary>One control-plane write of a churn run: what changed, and whether the specialized maps kept their shape
/// (values changed in place: an in-place update can serve it) or not (keys added or removed: a rebuild).</summary>
public sealed record ChurnChange(string Map, string What, bool KeepsShape);

/// <summary>
/// A control plane changing a sample's specialized maps the way an orchestrator does, one write at a time, into the live
/// maps and the reference's alike (the live ones one write late under <see cref="ChurnFault.OneWriteLate"/>). Three writes in
/// four keep the shape, the fourth adds or removes a key; hot keys (what the traffic hits most) are changed as often as others.
/// </summary>
public abstract class ChurnWriter
{
    protected ChurnWriter(LiveSample live, IReadOnlyList<byte[]> trace, bool late, int seed)
    {
        Live = live;
        Trace = trace;
        _late = late;
        Random = new Random(seed);
    }

    protected LiveSample Live { get; }
    protected IReadOnlyList<byte[]> Trace { get; }
    protected Random Random { get; }

    private readonly bool _late;
    private List<(string Map, byte[] Key, byte[]? Value)> _pending = [];

    public static ChurnWriter For(LiveSample live, IReadOnlyList<byte[]> trace, ChurnFault fault, int seed = 11) => live.Sample.Name switch
    {
        "router" => new RouterChurn(live, trace, fault == ChurnFault.OneWriteLate, seed),
        "firewall" => new FirewallChurn(live, trace, fault == ChurnFault.OneWriteLate, seed),
        var name => throw new UsageException($"--churn knows how the router and the firewall samples change; '{name}' is not one of them"),
    };

    /// <summary>Write number <paramref name="index"/> (from 0).</summary>
    public ChurnChange Write(int index)
    {
        // One write late: the live maps get the write before this one now.
        var previous = _pending;
        _pending = [];
        foreach (var (map, key, value) in previous)
            Apply(Live.Original.Object.Map(map), key, value);
        return index % 4 == 3 ? ChangeShape(index / 4) : KeepShape(index);
    }

    private static void Apply(BpfMapAccess map, byte[] key, byte[]? value)
    {
        if (value is null)
            map.Delete(key);
        else
            map.Update(key, value);
    }

    /// <summary>Flushes what the data plane writes and a policy change resets (connection tracking, as
    /// <c>conntrack -F</c>): in the reference, and with <paramref name="live"/> in the live maps too.</summary>
    public virtual void Flush(bool live)
    {
    }

    protected abstract ChurnChange KeepShape(int index);

    protected abstract ChurnChange ChangeShape(int index);

    protected void Update(string map, byte[] key, byte[] value) => Write(map, key, value);

    protected void Delete(string map, byte[] key) => Write(map, key, null);

    private void Write(string map, byte[] key, byte[]? value)
    {
        if (_late)
            _pending.Add((map, key, value));
        else
            Apply(Live.Original.Object.Map(map), key, value);
        Apply(Live.Reference.Object.Map(map), key, value);
    }

    protected static byte[] U32(uint value)
    {
        var bytes = new byte[4];
        BinaryPrimitives.WriteUInt32LittleEndian(bytes, value);
        return bytes;
    }

    /// <summary>The IPv4 header's offset in an untagged Ethernet frame, or -1.</summary>
    protected static int Ipv4At(byte[] frame) => frame.Length >= 34 && frame[12] == 0x08 && frame[13] == 0x00 ? 14 : -1;

    /// <summary>Whether the LPM key {u32 prefixlen; be32 addr} covers <paramref name="address"/>.</summary>
    protected static bool Covers(byte[] key, uint address)
    {
        var length = (int)BinaryPrimitives.ReadUInt32LittleEndian(key);
        var prefix = BinaryPrimitives.ReadUInt32BigEndian(key.AsSpan(4));
        var mask = length == 0 ? 0u : uint.MaxValue << (32 - length);
        return (address & mask) == (prefix & mask);
    }

    /// <summary>The /N LPM key {u32 prefixlen; be32 addr}.</summary>
    protected static byte[] LpmKey(uint address, int length) => LiveControlPlane.RouteKey(address, length);
}

/// <summary>The router's orchestrator: re-points routes at other next hops (the routes covering the hottest destinations
/// and random ones), and adds a /32 for a hot destination or removes one it added.</summary>
internal sealed class RouterChurn : ChurnWriter
{
    private readonly List<byte[]> _hotRoutes = [];
    private readonly List<byte[]> _routes;
    private readonly List<uint> _hot;
    private readonly Stack<byte[]> _added = new();

    public RouterChurn(LiveSample live, IReadOnlyList<byte[]> trace, bool late, int seed) : base(live, trace, late, seed)
    {
        _routes = live.ControlPlane.Entries("routes").Select(e => e.Key.ToArray()).ToList();
        _hot = LiveControlPlane.HottestDestinations(trace, 32).ToList();
        foreach (var destination in _hot)
            if (_routes.Where(k => Covers(k, destination)).MaxBy(k => BinaryPrimitives.ReadUInt32LittleEndian(k)) is { } route)
                _hotRoutes.Add(route);
    }

    protected override ChurnChange KeepShape(int index)
    {
        var hot = index % 2 == 0 && _hotRoutes.Count > 0;
        var key = hot ? _hotRoutes[Random.Next(_hotRoutes.Count)] : _routes[Random.Next(_routes.Count)];
        Update("routes", key, U32((uint)Random.Next(RouterSample.NextHopCount)));
        return new ChurnChange("routes", hot ? "re-route a hot prefix" : "re-route a prefix", KeepsShape: true);
    }

    protected override ChurnChange ChangeShape(int index)
    {
        if (index % 2 == 1 && _added.TryPop(out var added))
        {
            Delete("routes", added);
            return new ChurnChange("routes", "remove a /32", KeepsShape: false);
        }
        var key = LpmKey(_hot.Count > 0 ? _hot[Random.Next(_hot.Count)] : (uint)Random.Next(), 32);
        Update("routes", key, U32((uint)Random.Next(RouterSample.NextHopCount)));
        _added.Push(key);
        return new ChurnChange("routes", "add a /32 for a hot destination", KeepsShape: false);
    }
}

/// <summary>The firewall's orchestrator: takes a hot flow's first matching rule out of the rule set of its source's or
/// destination's prefix entry, or puts one it took out back (a rule's prefixes change), and adds a /32 source entry that
/// takes a hot source out of its first rule, or removes one it added. Connection tracking is flushed with each write (as <c>conntrack -F</c> after a policy change, or kube-proxy's
/// deletes when a service's endpoints change), so a change reaches flows already accepted.</summary>
internal sealed class FirewallChurn : ChurnWriter
{
    private const int RuleWords = 8;
    private readonly Dictionary<string, List<byte[]>> _entries = [];
    private readonly List<uint> _hotSources;
    private readonly List<byte[]> _hotFrames;
    private readonly Dictionary<string, int> _taken = [];
    private readonly Stack<byte[]> _added = new();

    public FirewallChurn(LiveSample live, IReadOnlyList<byte[]> trace, bool late, int seed) : base(live, trace, late, seed)
    {
        var ipv4 = trace.Where(f => Ipv4At(f) >= 0 && f.Length >= 34).ToList();
        _hotFrames = ipv4.GroupBy(Convert.ToHexString).OrderByDescending(g => g.Count()).Take(64).Select(g => g.First()).ToList();
        _hotSources = Hottest(ipv4, 26);
        foreach (var map in new[] { "src_lpm", "dst_lpm" })
            _entries[map] = live.ControlPlane.Entries(map).Select(e => e.Key.ToArray()).ToList();
    }

    private static List<uint> Hottest(List<byte[]> frames, int offset) =>
        frames.GroupBy(f => BinaryPrimitives.ReadUInt32BigEndian(f.AsSpan(offset))).OrderByDescending(g => g.Count()).Take(32).Select(g => g.Key).ToList();

    public override void Flush(bool live)
    {
        if (live)
            Live.Original.Object.Map("conntrack").Clear();
        Live.Reference.Object.Map("conntrack").Clear();
    }

    protected override ChurnChange KeepShape(int index)
    {
        // A hot frame's first matching rule, taken out of the rule set of its source's (or destination's) prefix entry,
        // or a rule taken out before put back.
        var map = index % 2 == 0 ? "src_lpm" : "dst_lpm";
        byte[]? key = null;
        int rule = -1;
        foreach (var frame in _hotFrames.OrderBy(_ => Random.Next()))
            if (FirstRule(frame) is { } hit)
            {
                var address = BinaryPrimitives.ReadUInt32BigEndian(frame.AsSpan(map == "src_lpm" ? 26 : 30));
                key = _entries[map].Concat(map == "src_lpm" ? _added : []).Where(k => Covers(k, address))
                    .MaxBy(k => BinaryPrimitives.ReadUInt32LittleEndian(k));
                rule = hit;
                if (key is not null)
                    break;
            }
        key ??= _entries[map][Random.Next(_entries[map].Count)];
        var set = Live.Reference.Object.Map(map).Lookup(key) ?? new byte[RuleWords * 8];
        var id = map + Convert.ToHexString(key);
        if (_taken.Remove(id, out var taken))
            set[taken / 8] |= (byte)(1 << (taken % 8));
        else if ((rule >= 0 ? rule : LowestRule(set)) is { } out_)
        {
            set[out_ / 8] &= (byte)~(1 << (out_ % 8));
            _taken[id] = out_;
        }
        Update(map, key, set);
        return new ChurnChange(map, "a hot flow's first rule taken out of its prefix entry, or put back", KeepsShape: true);
    }

    /// <summary>The first rule <paramref name="frame"/> matches, read from the reference's maps as the program looks
    /// them up (null when none does, or it is not TCP/UDP over IPv4).</summary>
    private int? FirstRule(byte[] frame)
    {
        var ip = Ipv4At(frame);
        if (ip < 0 || frame.Length < ip + 24)
            return null;
        var headerLength = (frame[ip] & 0xf) * 4;
        var protocol = frame[ip + 9];
        if (protocol is not (6 or 17) || frame.Length < ip + headerLength + 4)
            return null;
        var maps = Live.Reference.Object;
        var sets = new[]
        {
            maps.Map("src_lpm").Lookup(LpmKey(BinaryPrimitives.ReadUInt32BigEndian(frame.AsSpan(ip + 12)), 32)),
            maps.Map("dst_lpm").Lookup(LpmKey(BinaryPrimitives.ReadUInt32BigEndian(frame.AsSpan(ip + 16)), 32)),
            Port(maps.Map("sport_map"), BinaryPrimitives.ReadUInt16BigEndian(frame.AsSpan(ip + headerLength))),
            Port(maps.Map("dport_map"), BinaryPrimitives.ReadUInt16BigEndian(frame.AsSpan(ip + headerLength + 2))),
            maps.Map("proto_map").Lookup(U32(protocol)),
        };
        if (sets.Any(s => s is null))
            return null;
        var all = new byte[RuleWords * 8];
        for (var i = 0; i < all.Length; i++)
            all[i] = (byte)(sets[0]![i] & sets[1]![i] & sets[2]![i] & sets[3]![i] & sets[4]![i]);
        return LowestRule(all);
    }

    private static byte[]? Port(BpfMapAccess map, ushort port)
    {
        var key = new byte[4];
        BinaryPrimitives.WriteUInt16BigEndian(key, port);
        if (map.Lookup(key) is { } set)
            return set;
        key[0] = key[1] = 0;
        BinaryPrimitives.WriteUInt16LittleEndian(key.AsSpan(2), 1);
        return map.Lookup(key);
    }

    /// <summary>The first rule a rule set allows (bit r of the little-endian words), or null.</summary>
    private static int? LowestRule(byte[] set)
    {
        for (var word = 0; word < RuleWords; word++)
        {
            var bits = BinaryPrimitives.ReadUInt64LittleEndian(set.AsSpan(word * 8));
            if (bits != 0)
                return word * 64 + System.Numerics.BitOperations.TrailingZeroCount(bits);
        }
        return null;
    }

    protected override ChurnChange ChangeShape(int index)
    {
        if (index % 2 == 1 && _added.TryPop(out var added))
        {
            Delete("src_lpm", added);
            return new ChurnChange("src_lpm", "remove a /32 source", KeepsShape: false);
        }
        var source = _hotSources.Count > 0 ? _hotSources[Random.Next(_hotSources.Count)] : (uint)Random.Next();
        var key = LpmKey(source, 32);
        var set = Live.Reference.Object.Map("src_lpm").Lookup(key) ?? new byte[RuleWords * 8];
        if (LowestRule(set) is { } lowest)
            set[lowest / 8] &= (byte)~(1 << (lowest % 8));
        Update("src_lpm", key, set);
        _added.Push(key);
        return new ChurnChange("src_lpm", "add a /32 source", KeepsShape: false);
    }
}
