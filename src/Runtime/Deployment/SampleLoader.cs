using Kecleon.Workloads;
using Kecleon.Bpf;

namespace Kecleon.Runtime.Deployment;

/// <summary><c>kecleon sample load</c>: a bundled sample's control-plane data written into a running program's maps, or
/// the sample loaded as a user's loader would (clang's object, <see cref="OriginalSelection.ObjectOf"/>) with it,
/// pinned so that it outlives the process.</summary>
public static class SampleLoader
{
    /// <summary>Writes <paramref name="controlPlane"/> into the maps of program <paramref name="programId"/>, matched by name.</summary>
    public static void IntoRunningProgram(uint programId, ControlPlaneData controlPlane)
    {
        using var program = BpfFd.OpenProgramById(programId);
        var maps = BpfProgramInfo.FromFd(program.Value).MapIds.Select(BpfLoadedMap.OpenById).ToList();
        try
        {
            ControlPlaneWriter.Write(controlPlane, name => maps.FirstOrDefault(m => m.Name == name),
                $"program {programId} has no map '{{0}}'; its maps: {string.Join(", ", maps.Select(m => m.Name))}");
        }
        finally
        {
            maps.ForEach(m => m.Dispose());
        }
    }

    /// <summary>Loads <paramref name="sample"/>, writes <paramref name="controlPlane"/> into its maps, and pins the program
    /// (by its name) and its maps in <paramref name="directory"/>, which it creates. A chain loads as a chaining framework
    /// loads it: every stage, each but the entry in its PROG_ARRAY slot, each pinned by its name. Returns the (entry)
    /// program's id; <paramref name="attach"/>, when given, attaches it to that interface with a bpf_link, pinned as
    /// <c>link</c> beside it.</summary>
    public static uint LoadAndPin(INetworkFunctionSample sample, ControlPlaneData controlPlane, string directory, string? attach = null)
    {
        using var variant = LoadedVariant.LoadSample(sample.Name, OriginalSelection.ObjectOf(SampleFiles.Read(sample), SampleFiles.FrontEndOptions), sample);
        variant.Apply(controlPlane);
        Directory.CreateDirectory(directory);
        foreach (var program in variant.Object.Programs.Where(p => p == variant.Program || sample.ProgramSlots.Any(s => s.Program == p.Name)))
            BpfFd.Pin(program.Fd, Path.Combine(directory, program.Name));
        foreach (var map in variant.Object.Maps.Where(m => !m.IsInternal))
            map.Pin(Path.Combine(directory, map.Name));
        if (attach is not null)
        {
            using var link = XdpLinkHook.Create(variant.Program.Fd, BpfXdp.InterfaceIndex(attach));
            link.Pin(Path.Combine(directory, "link"));
        }
        return variant.Program.Info().Id;
    }
}
