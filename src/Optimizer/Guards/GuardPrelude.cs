using Kecleon.FrontEnd;
using Kecleon.Llvm;
using Kecleon.Optimizer.Specialization;

namespace Kecleon.Optimizer.Guards;

/// <summary>The guard maps and checks (<c>src/BpfC/guard_prelude.bpf.c</c>), compiled to bitcode with this assembly and
/// linked into specialized modules.</summary>
public static class GuardPrelude
{
    public const string GuardsMap = GuardLayout.GuardsMapName;
    public const string FallbackMap = GuardLayout.FallbackMapName;
    public const string HoldsFunction = "kecleon_guard_holds";
    public const string TableFunction = "kecleon_guard_table";
    public const string HoldsInFunction = "kecleon_guard_holds_in";
    public const string FallBackFunction = "kecleon_fall_back";
    public const string BumpFunction = "kecleon_guard_bump";
    /// <summary>After a data-plane write: the version bumped again, and a wake-up in the hook's ring.</summary>
    public const string WrittenFunction = "kecleon_guard_written";
    /// <summary>The hook's ring of wake-ups (<c>kecleon_guard_events</c>), which a live specialized program reuses.</summary>
    public const string EventsMap = GuardLayout.EventsMapName;

    private const string Resource = "guard_prelude.bc";

    private static readonly Lazy<byte[]> Bitcode = new(() => BuiltBpf.Read(typeof(GuardPrelude).Assembly, Resource));

    internal static LlvmModule Load(LlvmContext context, GuardLayout layout)
    {
        if (layout != GuardLayout.Default)
            throw new ArgumentException(
                $"the guard prelude is built for kecleon_guard.h's layout ({GuardLayout.Default.Slots} slots, " +
                $"{GuardLayout.Default.FallbackSlots} fallback slots), not {layout.Slots} and {layout.FallbackSlots}", nameof(layout));
        return LlvmModule.Parse(context, Bitcode.Value, "guard_prelude");
    }

    /// <summary>After the passes: without a call to <see cref="WrittenFunction"/> (no data-plane write of the program is
    /// bumped) the ring of wake-ups goes, with the function, so that the program has no map it never uses.</summary>
    internal static void DropUnusedEvents(LlvmModule module)
    {
        if (module.GetFunction(WrittenFunction) is { } written)
        {
            if (written.Value.Users.Any())
                return;
            written.Delete();
        }
        if (module.GetGlobal(EventsMap) is not { } events)
            return;
        module.DropFromUsedLists(events);
        // What is left are the constant casts the used list held: no code reads the map.
        if (events.Value.Users.Any(u => !u.IsConstantExpression))
            return;
        events.Value.ReplaceAllUsesWith(events.Value.Type.ConstNull());
        events.Delete();
    }

    /// <summary>Links the prelude into <paramref name="module"/> unless an earlier pass did (its functions made internal).</summary>
    internal static void EnsureLinked(LlvmModule module, GuardLayout layout)
    {
        if (module.GetFunction(HoldsFunction) is null)
            module.Link(Load(module.Context, layout));
        foreach (var name in (string[])[HoldsFunction, TableFunction, HoldsInFunction, FallBackFunction, BumpFunction, WrittenFunction])
            if (module.GetFunction(name) is { } function)
                function.Linkage = LlvmLinkage.Internal;
    }
}
