using System.Reflection;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace Kecleon.Interop;

/// <summary>
/// The one native-library resolver. It maps the logical names used by the imports ("LLVM", "bpf") to the exact
/// versions Kecleon is built against, and fails with a message naming the Debian package to install.
/// </summary>
internal static class NativeLibraries
{
    /// <summary>The LLVM major version our bindings and the BPF back end options are written for.</summary>
    public const int LlvmMajorVersion = 14;

    public const string Llvm = "LLVM";
    public const string Bpf = "bpf";
    public const string C = "c";
    /// <summary>Kecleon's own shim that keeps LLVM errors from ending the process (<see cref="LlvmGuard"/>); built with
    /// this assembly and shipped beside it.</summary>
    public const string LlvmGuard = "kecleon_llvm_guard";

    private static readonly Dictionary<string, LibrarySpec> Specs = new()
    {
        [Llvm] = new($"libLLVM-{LlvmMajorVersion}.so.1", "KECLEON_LIBLLVM", $"libllvm{LlvmMajorVersion}"),
        [Bpf] = new("libbpf.so.1", "KECLEON_LIBBPF", "libbpf1"),
        [C] = new("libc.so.6", "KECLEON_LIBC", "libc6"),
        [LlvmGuard] = new(Path.Combine(AppContext.BaseDirectory, "libkecleon_llvm_guard.so"), "KECLEON_LLVM_GUARD", null),
    };

    private static readonly Dictionary<string, nint> Loaded = new();

    /// <param name="DebianPackage">The package to install, or null for a library that ships with Kecleon.</param>
    private sealed record LibrarySpec(string FileName, string OverrideVariable, string? DebianPackage);

    // The resolver must be in place before any import in this assembly runs, whoever the caller is.
#pragma warning disable CA2255
    [ModuleInitializer]
#pragma warning restore CA2255
    internal static void Register() =>
        NativeLibrary.SetDllImportResolver(typeof(NativeLibraries).Assembly, Resolve);

    private static nint Resolve(string name, Assembly assembly, DllImportSearchPath? path) =>
        Specs.ContainsKey(name) ? Load(name) : 0;

    /// <summary>Loads a library now, so that a missing one is reported with context rather than as a
    /// <see cref="DllNotFoundException"/> from the first call.</summary>
    public static nint Load(string name)
    {
        lock (Loaded)
        {
            if (Loaded.TryGetValue(name, out var handle))
                return handle;
            var spec = Specs[name];
            var file = Environment.GetEnvironmentVariable(spec.OverrideVariable) is { Length: > 0 } custom ? custom : spec.FileName;
            if (!NativeLibrary.TryLoad(file, out handle))
                throw new MissingDependencyException(
                    $"cannot load {file}: Kecleon needs {spec.FileName}. " +
                    (spec.DebianPackage is null ? "It is built with Kecleon and ships beside its assemblies: reinstall or rebuild Kecleon"
                        : $"Install it with `apt-get install {spec.DebianPackage}`") +
                    (file == spec.FileName ? "" : $" or fix {spec.OverrideVariable}") + ".");
            Loaded[name] = handle;
            return handle;
        }
    }
}
