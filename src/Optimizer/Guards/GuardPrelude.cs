using System.Collections.Concurrent;
using Kecleon.FrontEnd;
using Kecleon.Llvm;
using Kecleon.Optimizer.Specialization;

namespace Kecleon.Optimizer.Guards;

/// <summary>The guard maps and checks, as bitcode compiled once per guard layout and linked into specialized modules.</summary>
public static class GuardPrelude
{
    public const string GuardsMap = "kecleon_guards";
    public const string FallbackMap = "kecleon_fallback";
    public const string HoldsFunction = "kecleon_guard_holds";
    public const string FallBackFunction = "kecleon_fall_back";
    public const string BumpFunction = "kecleon_guard_bump";

    private static readonly ConcurrentDictionary<GuardLayout, byte[]> Bitcode = new();

    internal static LlvmModule Load(LlvmContext context, GuardLayout layout) =>
        LlvmModule.Parse(context, Bitcode.GetOrAdd(layout, Compile), "kecleon_guard_prelude");

    /// <summary>Links the prelude into <paramref name="module"/> unless an earlier pass did (its functions made internal).</summary>
    internal static void EnsureLinked(LlvmModule module, GuardLayout layout)
    {
        if (module.GetFunction(HoldsFunction) is null)
            module.Link(Load(module.Context, layout));
        foreach (var name in (string[])[HoldsFunction, FallBackFunction, BumpFunction])
            if (module.GetFunction(name) is { } function)
                function.Linkage = LlvmLinkage.Internal;
    }

    private static byte[] Compile(GuardLayout layout)
    {
        using var stream = typeof(GuardPrelude).Assembly.GetManifestResourceStream("guard_prelude.bpf.c")
            ?? throw new InvalidOperationException("the guard prelude is missing from the assembly");
        var path = Path.Combine(Path.GetTempPath(), $"kecleon-guard-prelude-{Environment.ProcessId}-{Guid.NewGuid():N}.c");
        using (var file = File.Create(path))
            stream.CopyTo(file);
        try
        {
            return Clang.CompileToBitcode(path, [$"-DKECLEON_GUARD_SLOTS={layout.Slots}", $"-DKECLEON_FALLBACK_SLOTS={layout.FallbackSlots}"]);
        }
        finally
        {
            File.Delete(path);
        }
    }
}
