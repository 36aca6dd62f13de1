using System.Diagnostics;
using Kecleon.Bpf;
using Kecleon.Optimizer.Specialization;
using Kecleon.Runtime.Deployment;
using Kecleon.Runtime.Guards;

namespace Kecleon.Runtime.Optimization;

/// <summary>What <see cref="InPlaceUpdate.TryApply"/> did.</summary>
/// <param name="Applied">The flip is done: the written maps' contents as read are in the active buffer (live unless a
/// write raced the read: <see cref="Raced"/>).</param>
/// <param name="NeedsRebuild">Why the write cannot be applied as data (null when applied, or when nothing was written).</param>
/// <param name="Maps">The written maps.</param>
/// <param name="FlippedAt">When the flip's store was made (a <see cref="Stopwatch"/> timestamp); 0 unless applied.</param>
/// <param name="Stages">How long each step took, in order, up to the flip.</param>
public sealed record InPlaceOutcome(bool Applied, string? NeedsRebuild, IReadOnlyList<string> Maps, long FlippedAt,
    IReadOnlyList<(string Stage, TimeSpan Took)> Stages)
{
    /// <summary>After the flip: the wait for every packet that may still read the buffer now inactive (an RCU grace
    /// period), so that the next update may rewrite it. Not part of the reaction: the flip was live before it.</summary>
    public TimeSpan Grace { get; init; }

    /// <summary>Maps written again while they were read: the flip carries what was read, under the version read before,
    /// which the later write moved past, so packets keep taking the original until the next update (the data is never
    /// served for a version it was not built from).</summary>
    public IReadOnlyList<string> Raced { get; init; } = [];

    /// <summary>Applied, and every written map's data is live (no write raced the read).</summary>
    public bool Live => Applied && Raced.Count == 0;
}

/// <summary>
/// Applies control-plane writes to the specialized data of a live optimized program in place (<see cref="InPlaceLayout"/>):
/// the written maps' tables are rebuilt from the live maps into the inactive buffer, then the buffer's expected guard
/// versions are set, then the active index flips. No program is compiled, verified or swapped.
/// <para>
/// Order: (1) the map's guard version <c>v</c>, (2) its contents; (3) the rows into the inactive buffer; (4) <c>expected[inactive] = v</c>;
/// (5) <c>active = inactive</c>. A packet that read the old <c>active</c> compares with the old expected version, which the write moved past: it takes the original.
/// A write landing after (1) moves the version past <c>v</c>: the new buffer's guard fails, packets take the original,
/// and the next update flips again. So no buffer is ever served for a version it was not built from. Before a buffer is
/// rewritten, every program run that may still read it (it was active when that run began) has ended: after each flip
/// the update waits for an RCU grace period (<see cref="BpfMapMemory.WaitForRunningPrograms"/>).
/// </para>
/// Not thread-safe: one updater per live program.
/// </summary>
public sealed class InPlaceUpdate : IDisposable
{
    private readonly BpfMapMemory _memory;
    private readonly InPlaceLayout _layout;
    private readonly Dictionary<string, long> _offsets;
    private readonly long _header;
    private List<MapSnapshot> _snapshots;

    private InPlaceUpdate(BpfMapMemory memory, InPlaceLayout layout, Dictionary<string, long> offsets, IEnumerable<MapSnapshot> snapshots)
    {
        _memory = memory;
        _layout = layout;
        _offsets = offsets;
        _header = offsets[InPlaceLayout.HeaderSymbol];
        _snapshots = [.. snapshots];
    }

    /// <summary>The live program's snapshots as its active data has them (a flipped map's at the version it flipped to).</summary>
    public IReadOnlyList<MapSnapshot> Snapshots => _snapshots;

    /// <summary>The maps whose writes are applied in place.</summary>
    public IReadOnlyList<string> Maps => _layout.Maps;

    /// <summary>The in-place data of the live program <paramref name="programId"/>, built by a cycle that reported
    /// <paramref name="report"/> from <paramref name="elf"/>; null when it keeps none. The data map is found among the
    /// program's maps by its name (<see cref="InPlaceLayout.Section"/>), so this works for a program another process of
    /// ours swapped in, as long as the report and object are its own.</summary>
    public static InPlaceUpdate? Open(uint programId, byte[] elf, OptimizationReport report)
    {
        if (report.InPlace is not { Maps.Count: > 0 } layout)
            return null;
        using var program = BpfFd.OpenProgramById(programId);
        foreach (var id in BpfProgramInfo.FromFd(program.Value).MapIds)
        {
            using var map = BpfLoadedMap.OpenById(id);
            if (map.Name == InPlaceLayout.Section)
                return Open(map, elf, layout, report.Snapshots);
        }
        throw new KecleonException($"program {programId} has no {InPlaceLayout.Section} map, which its report says holds its tables");
    }

    /// <summary>The in-place data in <paramref name="data"/> (the object's <see cref="InPlaceLayout.Section"/> map).</summary>
    public static InPlaceUpdate Open(BpfMapAccess data, byte[] elf, InPlaceLayout layout, IEnumerable<MapSnapshot> snapshots)
    {
        var offsets = (GlobalDataLayout.Variables(elf).GetValueOrDefault(InPlaceLayout.Section) ?? [])
            .ToDictionary(v => v.Name, v => (long)v.Offset, StringComparer.Ordinal);
        if (!offsets.ContainsKey(InPlaceLayout.HeaderSymbol) || layout.Sites.Any(s => !offsets.ContainsKey(s.Symbol)))
            throw new KecleonException($"the object lays out no {InPlaceLayout.Section} with {InPlaceLayout.HeaderSymbol} and every site's table");
        var memory = BpfMapMemory.Map(data);
        return new InPlaceUpdate(memory, layout, offsets, snapshots);
    }

    /// <summary>The buffer packets read now (0 or 1).</summary>
    public int Active => (int)(_memory.ReadUInt64(_header) & 1);

    /// <summary>
    /// Applies every write since the live data was built, if all of them can be: only maps in <see cref="Maps"/> were
    /// written, and their new contents fit the tables' shape. Otherwise nothing changes (packets keep taking the original)
    /// and <see cref="InPlaceOutcome.NeedsRebuild"/> says why.
    /// </summary>
    /// <param name="liveMap">The live map of a name (the original's).</param>
    public InPlaceOutcome TryApply(GuardTable guards, Func<string, BpfMapAccess> liveMap)
    {
        var stages = new List<(string, TimeSpan)>();
        var clock = Stopwatch.StartNew();
        TimeSpan Lap()
        {
            var took = clock.Elapsed;
            clock.Restart();
            return took;
        }
        var written = guards.Written(_snapshots);
        var names = written.Select(w => w.Snapshot.Name).ToList();
        if (written.Count == 0)
            return new InPlaceOutcome(false, null, names, 0, stages);
        if (written.FirstOrDefault(w => !_layout.Maps.Contains(w.Snapshot.Name)) is { Snapshot: { } code })
            return new InPlaceOutcome(false, $"{code.Name} is compiled into the program's code, not kept in place", names, 0, stages);

        // The new rows of every written map, read as the rebuild reads a snapshot: version, contents, version.
        var raced = new List<string>();
        var fresh = new Dictionary<string, (ulong Version, IReadOnlyList<(byte[] Key, byte[] Value)> Entries, List<(InPlaceSite Site, byte[] Buffer)> Buffers)>();
        foreach (var (snapshot, _) in written)
        {
            // The version before the contents: any write that completes after this read moves it past `version`.
            // A hot-key table asks for its keys alone (a connection table may hold many more); a range table reads the map whole.
            var version = guards.Version(snapshot.GuardSlot);
            var sites = _layout.Sites.Where(s => s.Map == snapshot.Name).ToList();
            var map = liveMap(snapshot.Name);
            var hotKeys = sites.Where(s => s.HotKeys is not null).SelectMany(s => s.HotKeys!.Keys).DistinctBy(Convert.ToHexString).ToList();
            var hot = hotKeys.Select(k => (Key: k, Value: map.Lookup(k))).ToList();
            IReadOnlyList<(byte[] Key, byte[] Value)> entries = sites.Any(s => s.HotKeys is null)
                ? map.Entries()
                : [.. hot.Where(h => h.Value is not null).Select(h => (h.Key, h.Value!))];
            if (guards.Version(snapshot.GuardSlot) != version)
                raced.Add(snapshot.Name);
            var answers = hot.ToDictionary(h => Convert.ToHexString(h.Key), h => h.Value);
            var buffers = new List<(InPlaceSite, byte[])>();
            foreach (var site in sites)
            {
                if (site.HotKeys is not null)
                {
                    buffers.Add((site, site.RenderHotKeys(k => answers[Convert.ToHexString(k)])));
                    continue;
                }
                if (site.Render(entries, out var refusal) is not { } buffer)
                    return new InPlaceOutcome(false, refusal, names, 0, stages);
                buffers.Add((site, buffer));
            }
            fresh[snapshot.Name] = (version, entries, buffers);
        }
        stages.Add(("read", Lap()));

        var active = Active;
        var inactive = 1 - active;
        for (var k = 0; k < _layout.Maps.Count; k++)
            _memory.WriteUInt64(_header + InPlaceLayout.ExpectedOffset(inactive, k), InPlaceLayout.NeverValid);
        foreach (var site in _layout.Sites)
        {
            var at = _offsets[site.Symbol];
            if (fresh.TryGetValue(site.Map, out var update))
                _memory.Write(at + inactive * site.BufferBytes, update.Buffers.First(b => b.Site == site).Buffer);
            else
                _memory.Copy(at + active * site.BufferBytes, at + inactive * site.BufferBytes, site.BufferBytes);
        }
        for (var k = 0; k < _layout.Maps.Count; k++)
        {
            var version = fresh.TryGetValue(_layout.Maps[k], out var update)
                ? update.Version
                : _memory.ReadUInt64(_header + InPlaceLayout.ExpectedOffset(active, k));
            _memory.WriteUInt64(_header + InPlaceLayout.ExpectedOffset(inactive, k), version);
        }
        stages.Add(("write", Lap()));
        _memory.WriteUInt64(_header, (ulong)inactive);
        var flipped = Stopwatch.GetTimestamp();
        stages.Add(("flip", Lap()));

        _snapshots = [.. _snapshots.Select(s => fresh.TryGetValue(s.Name, out var update)
            ? s with { Entries = update.Entries, GuardVersion = update.Version }
            : s)];
        BpfMapMemory.WaitForRunningPrograms();
        return new InPlaceOutcome(true, null, names, flipped, stages) { Grace = Lap(), Raced = raced };
    }

    public void Dispose() => _memory.Dispose();
}
