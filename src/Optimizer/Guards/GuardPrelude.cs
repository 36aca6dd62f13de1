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

    internal static LlvmModule Load(LlvmContext context, GuardLayout layout) =>
        CPrelude.Load(context, typeof(GuardPrelude).Assembly, "guard_prelude.bpf.c",
            [$"-DKECLEON_GUARD_SLOTS={layout.Slots}", $"-DKECLEON_FALLBACK_SLOTS={layout.FallbackSlots}"]);
}
