using Kecleon.Bpf;
using Kecleon.FrontEnd;
using Kecleon.Optimizer.CodeGen;
using Kecleon.Runtime.Execution;

namespace Kecleon.Runtime.Deployment;

/// <summary>
/// Which program is "the original", decided here and nowhere else. As an object: what runs without Kecleon (the user's
/// own object when it carries its IR, clang's for C, Kecleon's pipeline without specialization for IR). As a loaded
/// program on a target's live maps: the one this process loaded and attached (the interface ran nothing), else the input
/// loaded on the target's own maps as a stand-in; either is proved to be the program the target runs
/// (<see cref="ProgramIdentity"/>). The check compares the specialized program with it and the fallback tail-calls it.
/// </summary>
public static class OriginalSelection
{
    /// <summary>The name the original is loaded (and reported) under.</summary>
    public const string VariantName = "original";

    /// <summary>The object the original is (or was) loaded from.</summary>
    /// <param name="frontEnd">The flags a C input is compiled with.</param>
    /// <param name="codeGen">How IR without an object of its own (<c>.ll</c>, <c>.bc</c>) is compiled.</param>
    public static byte[] ObjectOf(ProgramSource source, FrontEndOptions frontEnd, CodeGenOptions? codeGen = null) => source.Kind switch
    {
        SourceKind.EmbeddedBitcode => source.UserObject!,
        SourceKind.C => source.BuildBaselineObject(frontEnd),
        _ => Toolchain.Compile(source, codeGen).Elf,
    };

    /// <summary>The original loaded with maps of its own, to be attached where nothing runs (or run on a control plane
    /// the caller writes).</summary>
    public static LoadedVariant Load(byte[] elf, string? programName) => LoadedVariant.Load(VariantName, elf, programName);

    /// <summary>
    /// The original of <paramref name="target"/> as a loaded program: <paramref name="loaded"/> (the one this process
    /// loaded) proved here, else the input loaded on the target's maps (<see cref="StandIn"/>), which
    /// <paramref name="standIn"/> returns too: the caller disposes it.
    /// </summary>
    /// <param name="input">The input as the user named it, for the error.</param>
    public static LoadedVariant OnTarget(Target target, LoadedVariant? loaded, byte[] elf, string? programName, string input, out LoadedVariant? standIn)
    {
        if (loaded is null)
        {
            standIn = StandIn(target, elf, programName, input);
            return standIn;
        }
        standIn = null;
        ProgramIdentity.Verify(target, loaded.Program, elf, input);
        return loaded;
    }

    /// <summary>The input loaded on the target's maps (<see cref="LoadedVariant.LoadOnMaps"/>), proved to be the
    /// target's original (<see cref="ProgramIdentity"/>): else it throws <see cref="ProgramMismatchException"/>. The
    /// program of the input is <paramref name="programName"/> when given, else the one the target runs
    /// (<see cref="ProgramFor"/>).</summary>
    /// <param name="input">The input as the user named it, for the error.</param>
    public static LoadedVariant StandIn(Target target, byte[] elf, string? programName, string input)
    {
        var maps = new List<BpfLoadedMap>();
        LoadedVariant? standIn = null;
        try
        {
            var chosen = ProgramFor(target, elf, programName, input);
            foreach (var id in target.OriginalInfo.MapIds)
                maps.Add(BpfLoadedMap.OpenById(id));
            AddChainMaps(maps);
            try
            {
                standIn = LoadedVariant.LoadOnMaps(VariantName, elf, chosen, maps);
            }
            catch (VerifierRejectedException e)
            {
                // The original passed the verifier on these maps; a program that does not is another program.
                throw new ProgramMismatchException(
                    $"{input} is not the program on {target.Hook.Description}: it does not load on the maps of program {target.OriginalInfo.Id} " +
                    $"({target.OriginalInfo.Name}, tag {target.OriginalInfo.Tag}): {e.Message}", e, e.Details);
            }
            ProgramIdentity.Verify(target, standIn.Program, elf, input);
            RequireLiveMaps(target, standIn, maps, input);
            var verified = standIn;
            standIn = null;
            return verified;
        }
        finally
        {
            standIn?.Dispose();
            maps.ForEach(m => m.Dispose());
        }
    }

    /// <summary>The maps of the programs the original tail-calls through its PROG_ARRAYs (the stages of its chain, in
    /// <see cref="ServiceChain"/>), by name, after the original's own: a stage of the same object then runs on its live
    /// maps in the stand-in's object too, so that a chain fused into the entry reads and is specialized on the stages'
    /// live maps, not on empty ones of the stand-in's. A name the original's maps already hold keeps the original's.</summary>
    private static void AddChainMaps(List<BpfLoadedMap> maps)
    {
        var seen = maps.Select(m => m.Id).ToHashSet();
        // From the original's own PROG_ARRAYs, not from the hook: the hook may run Kecleon's program by now.
        var stages = maps.Where(m => m.Type == BpfMapType.ProgArray && m.Name != LoadedVariant.KernelName(Optimizer.Guards.GuardPrelude.FallbackMap))
            .SelectMany(m => ServiceChain.FromProgramArray(m).Stages).ToList();
        foreach (var stage in stages)
        {
            BpfProgramInfo info;
            try
            {
                using var fd = BpfFd.OpenProgramById(stage.ProgramId);
                info = BpfProgramInfo.FromFd(fd.Value);
            }
            catch (BpfException)
            {
                continue; // unloaded meanwhile: its slot is read again, and refused, by whoever fuses it
            }
            foreach (var id in info.MapIds.Where(seen.Add))
            {
                var map = BpfLoadedMap.OpenById(id);
                if (maps.Any(m => m.Name == map.Name))
                    map.Dispose();
                else
                    maps.Add(map);
            }
        }
    }

    /// <summary>
    /// Which program of <paramref name="elf"/> is the one <paramref name="target"/> runs: <paramref name="programName"/>
    /// when the user named one (it must exist), else the program with the original's name (the kernel keeps 15
    /// characters of it), else the object's only XDP or TC program. <see cref="ProgramIdentity"/> proves the choice
    /// afterwards, by tag.
    /// </summary>
    public static string ProgramFor(Target target, byte[] elf, string? programName, string input)
    {
        using var probe = BpfObject.Open(elf, "input");
        var programs = probe.Programs;
        string Listed() => string.Join(", ", programs.Select(p => $"{p.Name} [{p.Section}]"));
        if (programName is not null)
            return programs.Any(p => p.Name == programName)
                ? programName
                : throw new UsageException($"--program {programName}: {input} has no program of that name; its programs are {Listed()}");
        var original = target.OriginalInfo;
        if (programs.FirstOrDefault(p => LoadedVariant.KernelName(p.Name) == original.Name) is { } named)
            return named.Name;
        var network = programs.Where(p => p.Type is BpfProgramType.Xdp or BpfProgramType.SchedCls or BpfProgramType.SchedAct).ToList();
        if (network.Count == 1)
            return network[0].Name;
        throw new ProgramMismatchException(
            $"{input} has no program named {original.Name}, the name of program {original.Id} on {target.Hook.Description}; its programs are " +
            $"{Listed()}. Give the source or object program {original.Id} was loaded from, or name its program with --program");
    }

    /// <summary>Every map the stand-in's program references must be one of the original's: a map of its own (the live
    /// program has none of that name) would leave the specialized program on state nobody else sees. Maps of the
    /// object that the program does not reference do not matter (they stay empty and unused).</summary>
    private static void RequireLiveMaps(Target target, LoadedVariant standIn, IReadOnlyList<BpfLoadedMap> live, string input)
    {
        var liveIds = target.OriginalInfo.MapIds.ToHashSet();
        var own = standIn.Program.Info().MapIds.Where(id => !liveIds.Contains(id))
            .Select(id => standIn.Object.Maps.FirstOrDefault(m => m.Info().Id == id)?.Name ?? $"id {id}").ToList();
        if (own.Count > 0)
            throw new ProgramMismatchException(
                $"{input} is not the program on {target.Hook.Description} as it was loaded: its program {standIn.Program.Name} uses map(s) " +
                $"{string.Join(", ", own)}, which program {target.OriginalInfo.Id} ({target.OriginalInfo.Name}) does not have; its maps are " +
                $"{string.Join(", ", live.Select(m => m.Name))}");
    }
}
