using Kecleon.Workloads;
using Kecleon.Bpf;

namespace Kecleon.Runtime.Deployment;

/// <summary>Writes a control plane's entries into loaded maps.</summary>
public static class ControlPlaneWriter
{
    /// <summary>Writes the control plane's entries into this variant's maps; a name that is a global-data section
    /// (<c>.bss</c>, as <see cref="MapSource"/> names them) is the variant's map of that section.</summary>
    public static void Apply(this LoadedVariant variant, ControlPlaneData controlPlane) => variant.Object.Apply(controlPlane, variant.Name);

    /// <summary>Writes the control plane's entries into a loaded object's maps, global-data sections by section.</summary>
    public static void Apply(this BpfObject obj, ControlPlaneData controlPlane, string? name = null) =>
        Write(controlPlane, map => map.StartsWith('.')
                ? obj.Maps.FirstOrDefault(m => m.IsInternal && LoadedVariant.GlobalDataSection(m.Name) == map)
                : obj.FindMap(map),
            $"{name ?? obj.Name} has no map '{{0}}'; its maps: {string.Join(", ", obj.Maps.Select(m => m.Name))}");

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
}
