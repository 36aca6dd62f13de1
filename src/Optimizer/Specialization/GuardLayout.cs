namespace Kecleon.Optimizer.Specialization;

/// <summary>
/// The guard ABI as C# sees it: where the guard checks read and where a failed check goes. The one definition is
/// <c>src/BpfC/include/kecleon_guard.h</c>, which the guard hook and the guard prelude are compiled with;
/// <c>GuardContractTests</c> check every constant here against the BTF of those built objects.
/// </summary>
/// <remarks>The prelude is built for <see cref="Default"/> only: a specialized program reuses the guard table's map, so
/// there is no other layout to build for.</remarks>
public sealed record GuardLayout(int Slots, int FallbackSlots)
{
    /// <summary><c>KECLEON_GUARD_SLOTS</c>: guarded maps at most, the u64 versions in <c>kecleon_guards</c>' one element.</summary>
    public const int SlotCount = 256;
    /// <summary><c>KECLEON_FALLBACK_SLOTS</c>: program entries of one specialized object, slots of its <see cref="FallbackMapName"/>.</summary>
    public const int FallbackSlotCount = 8;
    /// <summary>Bytes of one version (<c>__u64 version[]</c>).</summary>
    public const int VersionBytes = 8;

    /// <summary>The versions: an array of one <c>struct kecleon_guard_versions</c>, shared by the hook and every specialized program.</summary>
    public const string GuardsMapName = "kecleon_guards";
    public const string VersionsStruct = "kecleon_guard_versions";
    /// <summary>A specialized object's PROG_ARRAY of the original programs (the guard prelude's).</summary>
    public const string FallbackMapName = "kecleon_fallback";
    /// <summary>The hook's kernel map id → slot registry.</summary>
    public const string SlotsMapName = "kecleon_guard_slots";
    /// <summary>The hook's Kecleon processes (tgid → start time), whose program loads bump nothing.</summary>
    public const string LoadersMapName = "kecleon_guard_loaders";
    /// <summary>The hook's ring buffer of wake-ups (<c>struct kecleon_guard_event</c>), which a live specialized program
    /// reuses to tell of its own writes.</summary>
    public const string EventsMapName = "kecleon_guard_events";

    public static readonly GuardLayout Default = new(SlotCount, FallbackSlotCount);

    /// <summary>Bytes of <c>kecleon_guards</c>' value.</summary>
    public int VersionsBytes => Slots * VersionBytes;

    /// <summary>Where slot <paramref name="slot"/>'s version is in <c>kecleon_guards</c>' value.</summary>
    public static int VersionOffset(int slot) => slot * VersionBytes;
}
