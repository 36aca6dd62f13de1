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

    /// <summary>Maps the data plane writes that the control plane flushes with each write (connection tracking after a
    /// policy change), live and in the reference: before the write lands and before the reference answers.</summary>
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

    private static bool Covers(byte[] key, uint address)
    {
        var length = (int)BinaryPrimitives.ReadUInt32LittleEndian(key);
        var prefix = BinaryPrimitives.ReadUInt32BigEndian(key.AsSpan(4));
        var mask = length == 0 ? 0u : uint.MaxValue << (32 - length);
        return (address & mask) == (prefix & mask);
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

/// <summary>The firewall's orchestrator: flips the verdict of a rule the traffic hits (accept ↔ drop), and adds a /32
/// source entry that takes a hot source out of its first rule, or removes one it added. Connection tracking is
/// flushed with every change (as <c>conntrack -F</c> after a policy change), so a change reaches flows already accepted.</summary>
internal sealed class FirewallChurn : ChurnWriter
{
    private const int RuleWords = 8;
    private readonly List<int> _hotRules = [];
    private readonly List<uint> _hotSources = [];
    private readonly Stack<byte[]> _added = new();

    public FirewallChurn(LiveSample live, IReadOnlyList<byte[]> trace, bool late, int seed) : base(live, trace, late, seed)
    {
        // The rule each frame of the trace matches first, read from the reference's maps as the program looks them up.
        var counts = new Dictionary<int, int>();
        var sources = new Dictionary<uint, int>();
        foreach (var frame in trace)
            if (FirstRule(frame) is { } hit)
            {
                counts[hit.Rule] = counts.GetValueOrDefault(hit.Rule) + 1;
                sources[hit.Source] = sources.GetValueOrDefault(hit.Source) + 1;
            }
        _hotRules = counts.OrderByDescending(c => c.Value).Take(32).Select(c => c.Key).ToList();
        _hotSources = sources.OrderByDescending(c => c.Value).Take(32).Select(c => c.Key).ToList();
    }

    private (int Rule, uint Source)? FirstRule(byte[] frame)
    {
        var ip = Ipv4At(frame);
        if (ip < 0 || frame.Length < ip + 20)
            return null;
        var headerLength = (frame[ip] & 0xf) * 4;
        var protocol = frame[ip + 9];
        var source = BinaryPrimitives.ReadUInt32BigEndian(frame.AsSpan(ip + 12));
        var destination = BinaryPrimitives.ReadUInt32BigEndian(frame.AsSpan(ip + 16));
        ushort sport = 0, dport = 0;
        if (protocol is 6 or 17 && frame.Length >= ip + headerLength + 4)
        {
            sport = BinaryPrimitives.ReadUInt16BigEndian(frame.AsSpan(ip + headerLength));
            dport = BinaryPrimitives.ReadUInt16BigEndian(frame.AsSpan(ip + headerLength + 2));
        }
        var maps = Live.Reference.Object;
        var sets = new[]
        {
            maps.Map("src_lpm").Lookup(LpmKey(source, 32)), maps.Map("dst_lpm").Lookup(LpmKey(destination, 32)),
            Port(maps.Map("sport_map"), sport), Port(maps.Map("dport_map"), dport), maps.Map("proto_map").Lookup(U32(protocol)),
        };
        if (sets.Any(s => s is null))
            return null;
        for (var word = 0; word < RuleWords; word++)
        {
            var bits = ulong.MaxValue;
            foreach (var set in sets)
                bits &= BinaryPrimitives.ReadUInt64LittleEndian(set.AsSpan(word * 8));
            if (bits != 0)
                return (word * 64 + System.Numerics.BitOperations.TrailingZeroCount(bits), source);
        }
        return null;
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

    public override void Flush(bool live)
    {
        if (live)
            Live.Original.Object.Map("conntrack").Clear();
        Live.Reference.Object.Map("conntrack").Clear();
    }

    protected override ChurnChange KeepShape(int index)
    {
        var rule = _hotRules.Count > 0 && index % 2 == 0 ? _hotRules[Random.Next(_hotRules.Count)] : Random.Next(FirewallRules);
        var action = Live.Reference.Object.Map("actions").Lookup(U32((uint)rule)) is { } value ? BinaryPrimitives.ReadUInt32LittleEndian(value) : 0;
        Update("actions", U32((uint)rule), U32(action == 0 ? 1u : 0u));
        return new ChurnChange("actions", index % 2 == 0 ? "flip a hot rule" : "flip a rule", KeepsShape: true);
    }

    /// <summary>The rules the sample writes (its actions array is larger).</summary>
    private const int FirewallRules = 460;

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
        // Take the source out of the first rule its covering prefix allows.
        for (var word = 0; word < RuleWords; word++)
        {
            var bits = BinaryPrimitives.ReadUInt64LittleEndian(set.AsSpan(word * 8));
            if (bits != 0)
            {
                BinaryPrimitives.WriteUInt64LittleEndian(set.AsSpan(word * 8), bits & (bits - 1));
                break;
            }
        }
        Update("src_lpm", key, set);
        _added.Push(key);
        return new ChurnChange("src_lpm", "add a /32 source", KeepsShape: false);
    }
}
