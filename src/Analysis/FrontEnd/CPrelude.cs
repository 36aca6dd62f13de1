using System.Collections.Concurrent;
using System.Reflection;
using Kecleon.Llvm;

namespace Kecleon.FrontEnd;

/// <summary>
/// C code that a transform links into a program and that must be compiled for that program (its sizes come from
/// <c>-D</c> flags): compiled from an embedded <c>.bpf.c</c> resource, with the embedded headers it includes, by clang
/// (not built in IR by hand) so that its maps carry the BTF libbpf needs for <c>SEC(".maps")</c>. The bitcode is
/// compiled once per resource and set of flags, then parsed into each module that needs it. C with nothing to vary is
/// compiled with the assembly instead (<see cref="BuiltBpf"/>).
/// </summary>
public static class CPrelude
{
    private static readonly ConcurrentDictionary<(Assembly Assembly, string Resource, string Flags), byte[]> Bitcode = new();

    /// <summary>The prelude <paramref name="resource"/> of <paramref name="assembly"/> compiled with <paramref name="flags"/>,
    /// parsed into <paramref name="context"/>, ready for <see cref="LlvmModuleTransforms.Link"/>. Its
    /// <paramref name="headers"/> (resources of the same assembly) are beside it when it is compiled.</summary>
    public static LlvmModule Load(LlvmContext context, Assembly assembly, string resource, IReadOnlyList<string> flags,
        IReadOnlyList<string>? headers = null) =>
        LlvmModule.Parse(context, Bitcode.GetOrAdd((assembly, resource, string.Join('\0', flags)),
                key => Compile(key.Assembly, key.Resource, flags, headers ?? [])),
            Path.GetFileNameWithoutExtension(resource));

    private static byte[] Compile(Assembly assembly, string resource, IReadOnlyList<string> flags, IReadOnlyList<string> headers)
    {
        // A folder of its own (clang looks for the headers beside the source): never through something already there.
        var directory = Directory.CreateTempSubdirectory($"kecleon-prelude-{Environment.ProcessId}-");
        try
        {
            BuiltBpf.WriteTo(assembly, [resource, .. headers], directory.FullName);
            return Clang.CompileToBitcode(Path.Combine(directory.FullName, resource), flags);
        }
        finally
        {
            directory.Delete(recursive: true);
        }
    }
}
