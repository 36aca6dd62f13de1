using Kecleon.Bpf;
using Kecleon.Runtime.Guards;

namespace Kecleon.Runtime.Deployment;

/// <summary>What <c>kecleon restore</c> (and <c>kecleon optimize --restore</c>) asks for: one target, or with a null
/// <paramref name="Target"/> every target pinned under <paramref name="PinRoot"/>.</summary>
public sealed record RestoreRequest(TargetSelector? Target, string PinRoot)
{
    /// <summary>Every stage of the chain whose entry runs on <see cref="Target"/>'s hook (or of the PROG_ARRAY it names):
    /// the entry and each slot that holds a stage (<see cref="ServiceChain"/>).</summary>
    public bool Chain { get; init; }

    /// <summary>Given a hook about to be undone, the name of the daemon target that manages it, if a running daemon does
    /// (<see cref="DaemonManagesTargetException"/>); null: none does.</summary>
    public Func<ProgramHook, string?> ManagedBy { get; init; } = _ => null;
}

/// <summary>What a restore did: each target undone (<see cref="Target.Undo"/>), and the guard table after it.</summary>
/// <param name="Nothing">Why there was nothing to undo for the one target asked for (the hook runs nothing, the program is
/// gone, or nothing of Kecleon's is there); null when something was undone or with <c>--all</c>.</param>
/// <param name="GuardsRegistered">Maps the pinned guard table still guards (for other targets).</param>
/// <param name="GuardTableRemoved">No map is guarded any more: the guard table's pins and hook are gone.</param>
/// <param name="PinRootRemoved">The default pin root was left empty and is gone (a pin root the user named stays).</param>
public sealed record RestoreReport(IReadOnlyList<UndoResult> Undone, string? Nothing, int GuardsRegistered, bool GuardTableRemoved, bool PinRootRemoved);

/// <summary>The target is one a running daemon optimizes: a restore would be undone by its next cycle, so it is refused.</summary>
public sealed class DaemonManagesTargetException(string message) : KecleonException(message)
{
    public override int ExitCode => ExitCodes.Conflict;
}

/// <summary>
/// <c>kecleon restore</c>: puts the data plane back exactly as the user's loader left it and removes everything Kecleon
/// created for the target (docs/swap.md, "Undo"): the original swapped back on the same hook in the same attach mode,
/// the optimized program's pins, the original's pin, a link Kecleon made (the hook then runs nothing, as before), the
/// target's folder; its guard registrations given back, and the guard table's pins and hook once no map is guarded.
/// Running it again changes nothing.
/// </summary>
public static class RestoreSession
{
    public static RestoreReport Run(RestoreRequest request)
    {
        var hooks = new List<(string? Folder, ProgramHook? Hook)>();
        string? nothing = null;
        try
        {
            if (request.Target is { } chainSelector && request.Chain)
            {
                var chain = ChainSession.Read(chainSelector, request.PinRoot);
                foreach (var stage in chain.Stages)
                    hooks.Add((null, stage.Slot is { } slot ? slot.OpenHook() : TargetResolver.FindHook(chainSelector, request.PinRoot)));
            }
            else if (request.Target is { } selector)
            {
                if (TargetResolver.FindHook(selector, request.PinRoot) is { } hook)
                    hooks.Add((null, hook));
                else
                    nothing = Describe(selector, request.PinRoot) + ": nothing to restore";
            }
            else
                hooks.AddRange(Target.Folders(request.PinRoot).Select(folder => ((string?)folder, Target.LiveHookOf(folder))));
            // Before anything changes (and before the guard table's lock, which a running daemon holds).
            var managed = hooks.Where(h => h.Hook is not null).Select(h => (h.Hook!, Name: request.ManagedBy(h.Hook!))).Where(m => m.Name is not null).ToList();
            if (managed.Count > 0)
                throw new DaemonManagesTargetException(string.Join("; ", managed.Select(m => $"{m.Item1.Description} is the daemon's target '{m.Name}'")) +
                                                       ": the daemon manages it: stop the daemon or remove the target from its configuration");

            var guardsFolder = Path.Combine(request.PinRoot, "guards");
            using var guards = Directory.Exists(guardsFolder) ? GuardTable.OpenPinned(guardsFolder) : null;
            var undone = new List<UndoResult>();
            for (var i = 0; i < hooks.Count; i++)
            {
                var (folder, hook) = hooks[i];
                hooks[i] = (folder, null); // owned by the target (or gone) from here on
                UndoResult result;
                if (hook is null)
                    result = Target.RemoveLeftovers(folder!);
                else
                {
                    using var target = Target.Open(hook, request.PinRoot);
                    var orphaned = target.TakeOrphanedGuardedMapIds();
                    result = target.Undo();
                    result = result with { GuardedMapIds = [.. orphaned, .. result.GuardedMapIds] };
                }
                if (guards is not null)
                    foreach (var id in result.GuardedMapIds)
                        if (guards.SlotOf(id) is { } slot)
                            guards.Unregister(slot);
                if (result.Swap is not null || result.Removed.Count > 0)
                    undone.Add(result);
            }
            if (request.Target is not null && undone.Count == 0 && nothing is null)
                nothing = "nothing of Kecleon's runs or is pinned there: nothing to restore";
            var tableRemoved = guards?.RemovePinsIfUnused() ?? false;
            var registered = guards?.Registrations.Count ?? 0;
            var rootRemoved = false;
            // The default pin root is Kecleon's own folder; one the user named is theirs and stays.
            if (Path.TrimEndingDirectorySeparator(Path.GetFullPath(request.PinRoot)) == Target.DefaultPinRoot &&
                Directory.Exists(request.PinRoot) && !Directory.EnumerateFileSystemEntries(request.PinRoot).Any())
            {
                Directory.Delete(request.PinRoot);
                rootRemoved = true;
            }
            return new RestoreReport(undone, nothing, registered, tableRemoved, rootRemoved);
        }
        finally
        {
            foreach (var (_, hook) in hooks)
                hook?.Dispose();
        }
    }

    private static string Describe(TargetSelector selector, string pinRoot) => selector switch
    {
        TargetSelector.Interface { Tc: { } tc } i => $"no TC program is attached to {tc.Name()} of {i.Name}{i.Namespace?.InSuffix ?? ""}",
        TargetSelector.Interface i => $"no XDP program is attached to {i.Name}{i.Namespace?.InSuffix ?? ""}",
        TargetSelector.Program p when !TargetResolver.IsLoaded(p.Id) => $"program {p.Id} is no longer loaded",
        TargetSelector.Program p => $"program {p.Id} runs on no XDP or TC hook, and no original pinned under {pinRoot} is program {p.Id}",
        _ => "nothing runs there",
    };
}
