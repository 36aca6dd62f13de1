using Kecleon.Workloads;
using Kecleon.Bpf;

namespace Kecleon.Runtime.Deployment;

/// <summary>Writes a control plane's entries into loaded maps.</summary>
public static class ControlPlaneWriter
{
    /// <summary>Writes the control plane's entries into this variant's maps.</summary>
    public static void Apply(this LoadedVariant variant, ControlPlaneData controlPlane) =>
        Write(controlPlane, variant.Object.FindMap,
            $"{variant.Name} has no map '{{0}}'; its maps: {string.Join(", ", variant.Object.Maps.Select(m => m.Name))}");

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
