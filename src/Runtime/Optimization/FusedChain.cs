using System.Buffers.Binary;
using Kecleon.Bpf;
using Kecleon.Llvm;
using Kecleon.Optimizer.Guards;
using Kecleon.Optimizer.Passes;
using Kecleon.Optimizer.Specialization;
using Kecleon.Passes;
using Kecleon.Runtime.Deployment;
using Kecleon.Runtime.Guards;

namespace Kecleon.Runtime.Optimization;

/// <summary>
/// Chain fusion in a cycle (<see cref="OptimizeOptions.FuseChain"/>): the PROG_ARRAYs the original entry tail-calls
/// through, each guarded and then read (version first, as for any snapshot), every occupied slot's program identified
/// against the input's functions, and the fusion request they make. For the check, the stages are loaded on each
/// variant's map copies and put in its copy of the PROG_ARRAY, so neither the original chain nor the fused program runs
/// a live stage on live maps.
/// </summary>
internal sealed class FusedChain
{
    private FusedChain(FusionRequest request, IReadOnlyDictionary<string, MapSnapshot> snapshots)
    {
        Request = request;
        Snapshots = snapshots;
    }

    public FusionRequest Request { get; }
    /// <summary>Each PROG_ARRAY's snapshot: slot → program id, with its guard slot and version.</summary>
    public IReadOnlyDictionary<string, MapSnapshot> Snapshots { get; }

    /// <summary>The program functions of <paramref name="module"/> (the input as parsed): what a slot's program may be.</summary>
    public static IReadOnlyList<string> Programs(LlvmModule module) =>
        module.Functions.Where(f => !f.IsDeclaration && f.Section.Length > 0 && !f.Section.StartsWith(".text", StringComparison.Ordinal))
            .Select(f => f.Name).ToList();

    /// <summary>Guards and reads the PROG_ARRAYs <paramref name="original"/> uses (their guard slots go to
    /// <paramref name="guardSlots"/>, which the cycle holds) and identifies the programs in their slots.</summary>
    public static FusedChain Read(LoadedVariant original, IReadOnlyList<string> programs, GuardTable guards, List<int> guardSlots)
    {
        var entry = original.Program.Info();
        var liveMapIds = original.Object.Maps.Where(m => !m.IsInternal).Select(m => m.Info().Id).ToHashSet();
        var arrays = original.Object.Maps.Where(m => m.Type == BpfMapType.ProgArray && entry.MapIds.Contains(m.Info().Id)
                                                     && m.Name != GuardPrelude.FallbackMap).ToList();
        var contents = new Dictionary<string, IReadOnlyList<FusionSlot>>(StringComparer.Ordinal);
        var versions = new Dictionary<string, (int Slot, ulong Version, int MaxEntries)>(StringComparer.Ordinal);
        foreach (var map in arrays)
        {
            var slot = guards.Register(map);
            guardSlots.Add(slot);
            versions[map.Name] = (slot, guards.Version(slot), map.MaxEntries);
            contents[map.Name] = map.Entries()
                .Select(e => Identify(original, programs, liveMapIds, BinaryPrimitives.ReadUInt32LittleEndian(e.Key), BinaryPrimitives.ReadUInt32LittleEndian(e.Value)))
                .ToList();
        }
        var request = new FusionRequest(original.Program.Name, contents);
        return new FusedChain(request, versions.ToDictionary(v => v.Key, v => request.Snapshot(v.Key, v.Value.MaxEntries, v.Value.Slot, v.Value.Version)));
    }

    /// <summary>Fuses <paramref name="module"/> (a fresh parse of the input) on what was read.</summary>
    public (FusionOutcome Outcome, IReadOnlyList<PassStep> Steps) Fuse(LlvmModule module, CancellationToken cancellation) =>
        ChainFusion.Fuse(module, Request, cancellation);

    /// <summary>
    /// The program in slot <paramref name="index"/>: a function of the input when the kernel's name for it names one
    /// (its first 15 characters) and that function, built from the original's object on the original's maps, has the
    /// live program's tag (the kernel hashes the instructions with map references blanked), and every map the live
    /// program uses is one of the original's (the fused code runs on those).
    /// </summary>
    private static FusionSlot Identify(LoadedVariant original, IReadOnlyList<string> programs, HashSet<uint> liveMapIds, uint index, uint id)
    {
        BpfProgramInfo live;
        try
        {
            using var fd = BpfFd.OpenProgramById(id);
            live = BpfProgramInfo.FromFd(fd.Value);
        }
        catch (BpfException)
        {
            return new FusionSlot(index, id, $"program {id}", null) { Unresolved = "a program that was unloaded meanwhile" };
        }
        var candidates = programs.Where(n => n == live.Name || live.Name.Length == 15 && n.StartsWith(live.Name, StringComparison.Ordinal));
        foreach (var name in candidates)
        {
            string tag;
            try
            {
                using var sibling = original.LoadSibling(name);
                tag = sibling.Program.Info().Tag;
            }
            catch (KecleonException)
            {
                continue;
            }
            if (tag != live.Tag)
                continue;
            if (live.MapIds.FirstOrDefault(m => !liveMapIds.Contains(m)) is var foreign and not 0)
                return new FusionSlot(index, id, live.Name, null)
                {
                    Unresolved = $"{live.Name} (id {id}) uses map {foreign}, which the entry's object does not: the fused code would not run on it",
                };
            return new FusionSlot(index, id, live.Name, name);
        }
        return new FusionSlot(index, id, live.Name, null);
    }

    /// <summary>Puts the stages, loaded on <paramref name="variant"/>'s own maps, in its copies of the PROG_ARRAYs
    /// (a slot whose program is not one of the input's is emptied: its live program would run on live maps). The
    /// returned programs must outlive the check.</summary>
    public List<LoadedVariant> FillCopies(LoadedVariant variant, byte[] originalElf, IReadOnlyDictionary<string, BpfMapAccess> shared)
    {
        var stages = new List<LoadedVariant>();
        try
        {
            foreach (var (name, slots) in Request.ProgramArrays)
            {
                if (variant.Object.FindMap(name) is not { } copy || shared.ContainsKey(name))
                    continue;
                foreach (var slot in slots)
                {
                    var key = BitConverter.GetBytes(slot.Index);
                    if (slot.Function is not { } function)
                    {
                        copy.Delete(key);
                        continue;
                    }
                    var stage = LoadedVariant.Load("stage", originalElf, function, shareMapsWith: variant, otherMaps: shared);
                    stages.Add(stage);
                    copy.Update(key, BitConverter.GetBytes((uint)stage.Program.Fd));
                }
            }
            return stages;
        }
        catch
        {
            stages.ForEach(s => s.Dispose());
            throw;
        }
    }
}
