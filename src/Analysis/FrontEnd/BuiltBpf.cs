using System.Reflection;

namespace Kecleon.FrontEnd;

/// <summary>BPF objects, bitcode and headers compiled or shipped with an assembly (<c>src/BpfC/BpfC.targets</c>), read
/// from its resources.</summary>
public static class BuiltBpf
{
    public static byte[] Read(Assembly assembly, string resource)
    {
        using var stream = Open(assembly, resource);
        using var bytes = new MemoryStream();
        stream.CopyTo(bytes);
        return bytes.ToArray();
    }

    public static string ReadText(Assembly assembly, string resource)
    {
        using var reader = new StreamReader(Open(assembly, resource));
        return reader.ReadToEnd();
    }

    /// <summary>Writes <paramref name="resources"/> of <paramref name="assembly"/> into <paramref name="directory"/>, each
    /// under its own name.</summary>
    public static void WriteTo(Assembly assembly, IEnumerable<string> resources, string directory)
    {
        foreach (var resource in resources)
        {
            using var stream = Open(assembly, resource);
            using var file = new FileStream(Path.Combine(directory, resource), FileMode.CreateNew); // never through something already there
            stream.CopyTo(file);
        }
    }

    private static Stream Open(Assembly assembly, string resource) =>
        assembly.GetManifestResourceStream(resource)
        ?? throw new InvalidOperationException($"{resource} is missing from {assembly.GetName().Name}: it is built with the assembly");
}
