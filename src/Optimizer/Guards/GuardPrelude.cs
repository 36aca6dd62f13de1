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
    public const string TableFunction = "kecleon_guard_table";
    public const string HoldsInFunction = "kecleon_guard_holds_in";
    public const string FallBackFunction = "kecleon_fall_back";
    public const string BumpFunction = "kecleon_guard_bump";

    internal static LlvmModule Load(LlvmContext context, GuardLayout layout) =>
        CPrelude.Load(context, typeof(GuardPrelude).Assembly, "guard_prelude.bpf.c",
            [$"-DKECLEON_GUARD_SLOTS={layout.Slots}", $"-DKECLEON_FALLBACK_SLOTS={layout.FallbackSlots}"]);

    /// <summary>Links the prelude into <paramref name="module"/> unless an earlier pass did (its functions made internal).</summary>
    internal static void EnsureLinked(LlvmModule module, GuardLayout layout)
    {
        if (module.GetFunction(HoldsFunction) is null)
            module.Link(Load(module.Context, layout));
        foreach (var name in (string[])[HoldsFunction, TableFunction, HoldsInFunction, FallBackFunction, BumpFunction])
            if (module.GetFunction(name) is { } function)
                function.Linkage = LlvmLinkage.Internal;
    }
}
