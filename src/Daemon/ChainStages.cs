using Kecleon.Bpf;
using Kecleon.Runtime.Deployment;

namespace Kecleon.Daemon;

/// <summary>One program of a live service chain: the entry (on the target's hook) or a stage in a PROG_ARRAY slot.</summary>
/// <param name="Program">The program's name as the kernel has it: the function the source builds it from.</param>
/// <param name="ProgramId">The program there when the chain was read.</param>
/// <param name="Slot">The PROG_ARRAY (map id) and slot it runs from; null for the entry.</param>
/// <param name="MapName">That PROG_ARRAY's name.</param>
public sealed record ChainStage(string Program, uint ProgramId, (uint MapId, uint Slot)? Slot, string? MapName)
{
    /// <summary>Whether the program is one Kecleon built (optimized or instrumented: it uses a <c>kecleon_*</c> map).</summary>
    public bool Variant { get; init; }

    /// <summary>Where the stage runs, as status shows it.</summary>
    public string Place => Slot is { } s ? $"slot {s.Slot} of {MapName} (map id {s.MapId})" : "entry";
}

/// <summary>
/// Reads a live chain: from the program on an entry hook, every PROG_ARRAY its programs use (the kernel's map ids of
/// each program), each occupied slot's program, recursively, each program once (cycles cut); or the occupied slots of
/// one pinned PROG_ARRAY. Kecleon's own PROG_ARRAYs (<c>kecleon_*</c>: the fallback) are not the chain's, but the
/// original in an optimized entry's fallback is followed (its PROG_ARRAYs are the chain's). Opens nothing it could change.
/// </summary>
public static class ChainStages
{
    /// <summary>The kernel's limit on tail calls in a row: no chain is deeper.</summary>
    private const int MaxDepth = 33;

    public static IReadOnlyList<ChainStage> Read(TargetConfig chain)
    {
        if (chain.ProgArray is { } pin)
        {
            using var map = OpenProgArray(pin);
            var slots = chain.Slot is { } one ? [one] : Enumerable.Range(0, map.MaxEntries).Select(i => (uint)i);
            var found = new List<ChainStage>();
            foreach (var slot in slots)
                if (SlotProgram(map, slot) is { } id && Name(id) is { } name)
                    found.Add(new ChainStage(name, id, (map.Id, slot), map.Name) { Variant = IsVariant(id) });
            if (found.Count == 0)
                throw new KecleonException(chain.Slot is { } s ? $"slot {s} of PROG_ARRAY {pin} holds no program" : $"no slot of PROG_ARRAY {pin} holds a program");
            return found;
        }
        using var hook = TargetResolver.FindHook(LiveTarget.Selector(chain))
                         ?? throw new KecleonException($"no program is attached to {chain.Hook}: the chain's entry is not there");
        var entry = hook.CurrentProgramId();
        var entryName = Name(entry) ?? throw new KecleonException($"program {entry} on {hook.Description} was unloaded meanwhile");
        var stages = new List<ChainStage> { new(entryName, entry, null, null) { Variant = IsVariant(entry) } };
        var seen = new HashSet<uint> { entry };
        var seenMaps = new HashSet<uint>();
        Follow(entry, seen, seenMaps, stages, 0);
        return stages;
    }

    /// <summary>A pinned PROG_ARRAY; anything else is refused by name.</summary>
    public static BpfLoadedMap OpenProgArray(string pin)
    {
        if (!File.Exists(pin))
            throw new InputNotFoundException($"nothing is pinned at {pin}");
        var fd = BpfFd.OpenPinned(pin);
        if (fd.Kind != "bpf-map")
        {
            var kind = fd.Kind;
            fd.Dispose();
            throw new UsageException($"{pin} is a pinned {kind}, not a PROG_ARRAY map");
        }
        var map = new BpfLoadedMap(fd);
        if (map.Type != BpfMapType.ProgArray)
        {
            var what = $"{pin} is the {map.Type} map {map.Name}, not a PROG_ARRAY";
            map.Dispose();
            throw new UsageException(what);
        }
        return map;
    }

    private static void Follow(uint program, HashSet<uint> seen, HashSet<uint> seenMaps, List<ChainStage> stages, int depth)
    {
        if (depth >= MaxDepth)
            return;
        foreach (var mapId in MapIds(program))
        {
            if (!seenMaps.Add(mapId))
                continue;
            BpfLoadedMap map;
            try
            {
                map = BpfLoadedMap.OpenById(mapId);
            }
            catch (BpfException)
            {
                continue; // freed meanwhile
            }
            using (map)
            {
                if (map.Type != BpfMapType.ProgArray)
                    continue;
                var ours = map.Name.StartsWith("kecleon_", StringComparison.Ordinal);
                for (uint slot = 0; slot < map.MaxEntries; slot++)
                {
                    if (SlotProgram(map, slot) is not { } id || Name(id) is not { } name)
                        continue;
                    if (ours)
                    {
                        // The original an optimized program falls back to: its PROG_ARRAYs are the chain's.
                        if (seen.Add(id))
                            Follow(id, seen, seenMaps, stages, depth);
                        continue;
                    }
                    if (!seen.Add(id))
                        continue;
                    stages.Add(new ChainStage(name, id, (map.Id, slot), map.Name) { Variant = IsVariant(id) });
                    Follow(id, seen, seenMaps, stages, depth + 1);
                }
            }
        }
    }

    /// <summary>Whether a program uses one of Kecleon's own maps (<c>kecleon_guards</c>, <c>kecleon_fallback</c>,
    /// <c>kecleon_prof_*</c>): a program Kecleon built.</summary>
    private static bool IsVariant(uint program)
    {
        foreach (var id in MapIds(program))
        {
            try
            {
                using var map = BpfLoadedMap.OpenById(id);
                if (map.Name.StartsWith("kecleon_", StringComparison.Ordinal))
                    return true;
            }
            catch (BpfException)
            {
                // freed meanwhile
            }
        }
        return false;
    }

    /// <summary>The program in a slot (a PROG_ARRAY lookup from user space answers its id), or null.</summary>
    private static uint? SlotProgram(BpfLoadedMap map, uint slot) =>
        map.Lookup(BitConverter.GetBytes(slot)) is { } value && BitConverter.ToUInt32(value) is var id and not 0 ? id : null;

    private static IReadOnlyList<uint> MapIds(uint program)
    {
        try
        {
            using var fd = BpfFd.OpenProgramById(program);
            return BpfProgramInfo.FromFd(fd.Value).MapIds;
        }
        catch (BpfException)
        {
            return [];
        }
    }

    private static string? Name(uint program)
    {
        try
        {
            using var fd = BpfFd.OpenProgramById(program);
            return BpfProgramInfo.FromFd(fd.Value).Name;
        }
        catch (BpfException)
        {
            return null;
        }
    }
}
