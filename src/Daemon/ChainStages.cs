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
/// Reads a live chain for the daemon: from the program on an entry hook, as <see cref="ServiceChain"/> reads it (every
/// PROG_ARRAY its programs use, through an optimized program's fallback to its original, each occupied slot's program,
/// recursively, cycles cut), each program once (the first slot it was found in); or the occupied slots of one pinned
/// PROG_ARRAY. Opens nothing it could change.
/// </summary>
public static class ChainStages
{
    public static IReadOnlyList<ChainStage> Read(TargetConfig chain)
    {
        if (chain.ProgArray is { } pin)
        {
            using var map = OpenProgArray(pin);
            var slots = chain.Slot is { } one ? [one] : Enumerable.Range(0, map.MaxEntries).Select(i => (uint)i);
            var found = new List<ChainStage>();
            foreach (var slot in slots)
                if (ServiceChain.StageIn(map, slot) is { } stage)
                    found.Add(Of(stage));
            if (found.Count == 0)
                throw new KecleonException(chain.Slot is { } s ? $"slot {s} of PROG_ARRAY {pin} holds no program" : $"no slot of PROG_ARRAY {pin} holds a program");
            return found;
        }
        using var hook = TargetResolver.FindHook(LiveTarget.Selector(chain))
                         ?? throw new KecleonException($"no program is attached to {chain.Hook}: the chain's entry is not there");
        var read = ServiceChain.FromHook(hook); // refuses a hook with no program on it
        if (read.Entry is null)
            throw new KecleonException($"the program on {hook.Description} was unloaded meanwhile");
        var seen = new HashSet<uint>();
        return [.. read.Stages.Where(s => seen.Add(s.ProgramId)).Select(Of)];
    }

    private static ChainStage Of(Runtime.Deployment.ChainStage stage) =>
        new(stage.ProgramName, stage.ProgramId, stage.Slot is { } slot ? (slot.MapId, slot.Index) : null, stage.Slot?.MapName) { Variant = stage.Variant };

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
}
