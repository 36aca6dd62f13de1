using System.Collections.Concurrent;
using System.Reflection;
using Kecleon.Llvm;

namespace Kecleon.FrontEnd;

/// <summary>
/// C code that a transform links into a program: compiled from an embedded <c>.bpf.c</c> resource with clang (not built
/// in IR by hand) so that its maps carry the BTF libbpf needs for <c>SEC(".maps")</c>. The bitcode is compiled once per
/// resource and set of <c>-D</c> flags, then parsed into each module that needs it.
/// </summary>
public static class CPrelude
{
    private static readonly ConcurrentDictionary<(Assembly Assembly, string Resource, string Flags), byte[]> Bitcode = new();

    /// <summary>The prelude <paramref name="resource"/> of <paramref name="assembly"/> compiled with <paramref name="flags"/>,
    /// parsed into <paramref name="context"/>, ready for <see cref="LlvmModuleTransforms.Link"/>.</summary>
    public static LlvmModule Load(LlvmContext context, Assembly assembly, string resource, IReadOnlyList<string> flags) =>
        LlvmModule.Parse(context, Bitcode.GetOrAdd((assembly, resource, string.Join('\0', flags)), key => Compile(key.Assembly, key.Resource, flags)),
            Path.GetFileNameWithoutExtension(resource));

    private static byte[] Compile(Assembly assembly, string resource, IReadOnlyList<string> flags)
    {
        using var stream = assembly.GetManifestResourceStream(resource)
            ?? throw new InvalidOperationException($"the prelude {resource} is missing from {assembly.GetName().Name}");
        var path = Path.Combine(Path.GetTempPath(), $"kecleon-prelude-{Environment.ProcessId}-{Guid.NewGuid():N}.c");
        using (var file = new FileStream(path, FileMode.CreateNew)) // never through something already there
            stream.CopyTo(file);
        try
        {
            return Clang.CompileToBitcode(path, flags);
        }
        finally
        {
            File.Delete(path);
        }
    }
}
