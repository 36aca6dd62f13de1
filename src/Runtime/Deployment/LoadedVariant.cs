using Kecleon.Bpf;
using Kecleon.Runtime.Workloads;

namespace Kecleon.Runtime.Deployment;

/// <summary>One variant of a network function loaded into the kernel: baseline, Kecleon-compiled, optimized, ...</summary>
public sealed class LoadedVariant : IDisposable
{
    private LoadedVariant(string name, BpfObject obj, BpfProgram program)
    {
        Name = name;
        Object = obj;
        Program = program;
    }

    public string Name { get; }
    public BpfObject Object { get; }
    public BpfProgram Program { get; }

    /// <summary>
    /// Loads <paramref name="elf"/>. With <paramref name="shareMapsWith"/>, every map of the same name is the other
    /// variant's kernel map (how an optimized program runs on the original's live state); otherwise it gets its own maps.
    /// </summary>
    /// <param name="otherMaps">Further maps to share, by name (the guard table's versions, say).</param>
    public static LoadedVariant Load(string name, byte[] elf, string? programName, LoadedVariant? shareMapsWith = null,
        IReadOnlyDictionary<string, BpfMapAccess>? otherMaps = null)
    {
        var obj = BpfObject.Open(elf, name);
        try
        {
            foreach (var map in obj.Maps.Where(m => !m.IsInternal))
                if ((otherMaps?.GetValueOrDefault(map.Name) ?? shareMapsWith?.Object.FindMap(map.Name)) is { } shared)
                    map.ReuseFd(shared);
            obj.Load();
            return new LoadedVariant(name, obj, Execution.PacketRunner.SelectProgram(obj, programName));
        }
        catch
        {
            obj.Dispose();
            throw;
        }
    }

    /// <summary>Writes the control plane's entries into this variant's maps.</summary>
    public void Apply(ControlPlaneData controlPlane) =>
        Write(controlPlane, Object.FindMap, $"{Name} has no map '{{0}}'; its maps: {string.Join(", ", Object.Maps.Select(m => m.Name))}");

    /// <summary>Writes the control plane's entries into the maps <paramref name="find"/> returns by name, in batches.</summary>
    /// <param name="missing">The error when a map is not found; <c>{0}</c> is the map's name.</param>
    public static void Write(ControlPlaneData controlPlane, Func<string, BpfMapAccess?> find, string missing)
    {
        foreach (var mapName in controlPlane.MapNames)
        {
            var map = find(mapName) ?? throw new KecleonException(string.Format(System.Globalization.CultureInfo.InvariantCulture, missing, mapName));
            map.UpdateBatch(controlPlane.Entries(mapName).Select(e => (e.Key, e.Value)).ToList());
        }
    }

    public void Dispose() => Object.Dispose();
    public override string ToString() => Name;
}
