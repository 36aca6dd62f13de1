using Kecleon.Access;
using Kecleon.Bpf;
using Kecleon.Cfg;
using Kecleon.Helpers;
using Kecleon.Instrumentation.Profiles;
using Kecleon.Llvm;
using Kecleon.Optimizer.Analyses;
using Kecleon.Optimizer.CodeGen;
using Kecleon.Optimizer.Guards;
using Kecleon.Optimizer.Planning;
using Kecleon.Optimizer.Specialization;
using Kecleon.Passes;

namespace Kecleon.Optimizer.Passes;

/// <summary>
/// Hot-key fast path. At a lookup the whole-map inliner left alone (a map too large to become code, or an LPM table with
/// too many ranges), the profile's hottest keys are compared in full and answered with their current values as
/// constants; every other key asks the kernel as before:
/// <code>
///   %p = call i8* inttoptr (i64 1 ...)(i8* @ch_rings, i8* %key)
///   %v = load i32, i32* %q
/// </code>
/// becomes
/// <code>
///   %r = call { i1, i64 } @kecleon.hot.ch_rings.0(i8* %key)   ; switch (key) { hot0: {1, v0}; hot1: ...; default: kernel lookup }
///   %v = trunc (extractvalue %r, 1) to i32
/// </code>
/// An LPM key is compared whole (prefix length word included, as the program builds it) and answered with the value of
/// its longest matching prefix in the snapshot; a hot key the map does not hold is a constant miss. The map joins
/// <see cref="SpecializationState.SpecializedMaps"/>, so the guard pass guards it like any other specialization. A result used
/// some other way but only read (through a phi, say) gets pointers to constant copies of the hot values instead. A map
/// the data plane itself writes is taken when the profile says its writes are rare: each lookup re-checks its version
/// and each of the program's writes bumps it first (see docs/pgo.md). The cost model
/// takes keys hottest first, at most <see cref="InliningLimits.MaxHotKeys"/> (<see cref="InliningLimits.MaxHotKeysOneWord"/>
/// for keys of up to 8 bytes), while each adds at least <see cref="InliningLimits.MinHotKeyGain"/> of the site's lookups;
/// from <see cref="InliningLimits.MinHashedHotKeys"/> keys on they are a hash table in .rodata (up to
/// <see cref="InliningLimits.MaxHashedHotKeys"/>, values loaded) instead of a tree of compares (values as constants).
/// An array gets hot indices only where the planner says they pay (its value is a further lookup's key), and always
/// as a tree: a loaded value would not make that key constant.
/// </summary>
public sealed class HotKeyPass : IModulePass
{
    public string Name => "hot-keys";

    public PassResult Run(PassContext context)
    {
        if (context.Request.Profile is not { } profile)
            return PassResult.Unchanged;
        var module = context.Module;
        var request = context.Request;
        var graphs = context.Get<ControlFlowGraphs>();
        var rarelyWritten = context.Plan.RarelyWritten;
        foreach (var reason in context.Plan.WrittenMapReasons)
            context.Skip(Name, reason, reason.Map);
        var useAnalysis = context.Get<LookupResultUses>();
        var wroteFlags = new Dictionary<(LlvmFunction Function, string Map), LlvmValue>();
        var counter = 0;
        foreach (var site in context.Facts.LookupSites)
        {
            context.Cancellation.ThrowIfCancellationRequested();
            // Sites the whole-map inliner rewrote (some merged into another site's step through a phi) are gone.
            if (profile.Site(site.Index) is not { Keys.Count: > 0 } siteProfile || context.State.IsRewritten(site))
                continue;
            if (context.Plan.For(site.Index).HotKeysReason is { } refused)
            {
                context.Skip(Name, refused, site.Location);
                continue;
            }
            var snapshot = request.SnapshotOf(site.Maps[0].Name);
            var collected = useAnalysis.TryCollect(site.Call, out var uses, out var why);
            if (collected && uses.Uses.OfType<PhiUse>().Any())
                (collected, why) = (false, "merges with other lookups' results through a phi");
            // Enough hot keys for a hash table take more of them (a hit costs the same however many); else a tree. A
            // result read through a pointer (constant copies) is always a tree.
            var hot = collected ? CostModel.ChooseHotKeys(siteProfile, snapshot.KeySize, request.Limits, hashed: true) : [];
            // An array's hot indices pay only as constants (their values become the next lookup's key), so they are
            // always a tree.
            var hashed = hot.Count >= request.Limits.MinHashedHotKeys && snapshot.Type != BpfMapType.Array;
            if (!hashed)
                hot = CostModel.ChooseHotKeys(siteProfile, snapshot.KeySize, request.Limits);
            if (hot.Count == 0)
            {
                context.Skip(Name, new PlanReason(PlanReasonKind.NoKeyWorthACompare, snapshot.Name), site.Location);
                continue;
            }
            if (siteProfile.Coverage(hot.Count) < request.Limits.MinHotCoverage)
            {
                context.Skip(Name, new PlanReason(PlanReasonKind.LowCoverage, snapshot.Name)
                {
                    Count = hot.Count, Share = siteProfile.Coverage(hot.Count), LimitShare = request.Limits.MinHotCoverage,
                }, site.Location);
                continue;
            }
            var answers = hot.Select(k => (k.Key, Value: SnapshotAnswers.Answer(snapshot, k.Key))).ToList();
            // The entry guard covers writes before the packet; only the program's own write earlier in this very
            // packet needs a second look. When every such write is in the lookup's own function, a per-packet flag the
            // writes set says it (LLVM folds it away on the paths where no write ran); else the version is read again.
            var earlierWrites = rarelyWritten.TryGetValue(snapshot.Name, out var writes) ? writes.Where(w => MayRunBefore(graphs, w.Call, site.Call)).ToList() : [];
            var recheck = earlierWrites.Count == 0 ? Recheck.None
                : earlierWrites.All(w => w.Call.Block.Parent == site.Call.Block.Parent) ? Recheck.WriteFlag : Recheck.Version;
            LlvmValue? wrote = recheck == Recheck.WriteFlag ? WroteFlag(module, wroteFlags, site.Call.Block.Parent, snapshot.Name) : null;
            string how;
            var asData = false;
            if (collected)
            {
                var words = LookupResultUses.UsedWords(uses.Uses);
                if (CostModel.SpansTooManyWords(words, snapshot, request.Limits))
                {
                    context.Skip(Name, new PlanReason(PlanReasonKind.ValueTooWide, snapshot.Name), site.Location);
                    continue;
                }
                if (recheck == Recheck.Version)
                    GuardPrelude.EnsureLinked(module, request.Guards);
                // A hash table's rows can be in-place data, unless a lookup reads the version again (a constant in code).
                var dataSites = context.State.InPlaceSites.Count;
                var function = HotKeyFunctionBuilder.Build(module, site.Call, snapshot, answers, words, recheck, hashed, counter++, site.Key?.Fields,
                    request.InPlaceData && hashed && recheck != Recheck.Version ? context.State.InPlaceSites : null);
                asData = context.State.InPlaceSites.Count > dataSites;
                // The site keeps its key profile: a specialized program that profiles itself records the key before the check.
                LookupSiteRewriter.RewriteSite(module, uses, function, words, builder => Arguments(builder, site.Call, wrote), "hot", keepsKeyProfile: true);
                how = !hashed ? "values as constants"
                    : asData ? "found by a hash of the key in a double-buffered in-place table, values loaded from it"
                    : "found by a hash of the key in a .rodata table, values loaded from it";
            }
            else if (site.ResultAccess == MapAccess.ReadOnly)
            {
                // Used some other way, but only read: a pointer to a constant copy serves every use.
                if (recheck == Recheck.Version)
                    GuardPrelude.EnsureLinked(module, request.Guards);
                var function = HotKeyFunctionBuilder.BuildPointer(module, site.Call, snapshot, answers, recheck, counter++, site.Key?.Fields);
                LookupSiteRewriter.ReplaceWithPointer(module, site.Call, function, builder => Arguments(builder, site.Call, wrote), "hot", keepsKeyProfile: true);
                how = $"values as constant copies in .rodata (the result {why})";
            }
            else
            {
                context.Skip(Name, new PlanReason(PlanReasonKind.ResultUseNotRewritable, snapshot.Name) { Detail = why }, site.Location);
                continue;
            }
            context.State.Rewrote(snapshot.Name, [site], asData);
            context.Step(Name, $"{snapshot.Name}: {hot.Count} hot keys ({siteProfile.Coverage(hot.Count):P0} of the profiled lookups, " +
                               $"{answers.Count(a => a.Value is null)} of them misses) compared before the kernel lookup, {how}" +
                               recheck switch
                               {
                                   Recheck.Version => "; its version checked at the lookup too (the data plane writes it)",
                                   Recheck.WriteFlag => "; the kernel's answer after the program's own write to it in the same packet",
                                   _ => "",
                               }, site.Location);
        }
        foreach (var (map, writes) in rarelyWritten.Where(m => context.State.IsSpecialized(m.Key)))
            BumpAtWrites(module, context, request.SnapshotOf(map), writes, wroteFlags);
        // New functions, rewritten uses, flags and bumps: no cached analysis of the old module holds.
        return PassResult.Of(counter > 0 || wroteFlags.Count > 0);
    }

    /// <summary>The hot-key function's arguments: the key, and for <see cref="Recheck.WriteFlag"/> the flag's value.</summary>
    private static LlvmValue[] Arguments(LlvmBuilder builder, LlvmInstruction lookup, LlvmValue? wrote) =>
        wrote is { } flag ? [lookup.Argument(1), builder.Load(builder.Context.Int1, flag, "wrote")] : [lookup.Argument(1)];

    /// <summary>The per-packet "this function wrote <paramref name="map"/>" flag: a stack slot cleared at the function's
    /// entry and set before each of its writes (<see cref="BumpAtWrites"/>); SROA makes it a value.</summary>
    private static LlvmValue WroteFlag(LlvmModule module, Dictionary<(LlvmFunction Function, string Map), LlvmValue> flags, LlvmFunction function, string map)
    {
        if (flags.TryGetValue((function, map), out var flag))
            return flag;
        var context = module.Context;
        using var builder = new LlvmBuilder(context);
        builder.PositionBefore(function.EntryBlock.FirstInstruction!.Value);
        flag = builder.Alloca(context.Int1, $"kecleon.wrote.{map}");
        builder.Store(context.Int1.ConstInt(0), flag);
        return flags[(function, map)] = flag;
    }

    /// <summary>Before each of the program's own writes to a rarely written specialized map, its guard version moves on:
    /// every later packet then ignores the stale constants; after the write it moves again, so that a snapshot (or an
    /// in-place update) that read the version in between, and the map without the write, never holds. This packet's
    /// later lookups see the write through the function's flag (set here too) or by reading the version again.</summary>
    private void BumpAtWrites(LlvmModule module, PassContext context, MapSnapshot snapshot, IReadOnlyList<HelperCallSite> writes,
        Dictionary<(LlvmFunction Function, string Map), LlvmValue> wroteFlags)
    {
        GuardPrelude.EnsureLinked(module, context.Request.Guards);
        var bump = module.GetFunction(GuardPrelude.BumpFunction)!.Value;
        var written = module.GetFunction(GuardPrelude.WrittenFunction)!.Value;
        using var builder = new LlvmBuilder(module.Context);
        foreach (var write in writes)
        {
            builder.PositionBefore(write.Call);
            builder.DebugLocation = write.Call.RawDebugLocation;
            if (wroteFlags.TryGetValue((write.Call.Block.Parent, snapshot.Name), out var flag))
                builder.Store(module.Context.Int1.ConstInt(1), flag);
            builder.Call(bump.FunctionType, bump.Value, [module.Context.Int32.ConstInt((ulong)snapshot.GuardSlot)]);
            // And after: user space that read the version between the first bump and the write (and so the map without
            // it) must not see that version hold once the write is done; and the daemon hears of the write at once.
            builder.PositionBefore(write.Call.Block.Instructions.SkipWhile(i => i != write.Call).Skip(1).First());
            builder.Call(written.FunctionType, written.Value, [module.Context.Int32.ConstInt((ulong)snapshot.GuardSlot)]);
            context.Step(Name, $"{snapshot.Name}: the program's own {write.Helper.Name} bumps its guard version before and after, and wakes the daemon",
                write.Location);
        }
    }

    /// <summary>Can <paramref name="first"/> run before <paramref name="then"/> in the same packet? Calls in different
    /// functions: yes; in the same one, as its control-flow graph says.</summary>
    private static bool MayRunBefore(ControlFlowGraphs graphs, LlvmInstruction first, LlvmInstruction then) =>
        first.Block.Parent != then.Block.Parent || graphs.Of(first.Block.Parent).MayRunBefore(first, then);
}
