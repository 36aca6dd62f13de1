using Kecleon.Bpf;
using Kecleon.Llvm;
using Kecleon.Optimizer.Guards;
using Kecleon.Passes;

namespace Kecleon.Optimizer.Passes;

/// <summary>
/// Makes every specialization conditional on its snapshot still being current. The guard prelude is linked in, and each
/// program entry gets a new first block:
/// <code>
/// kecleon.guard:
///   %versions = kecleon_guard_table()                  ; one lookup: every slot's version
///   br (%versions != null), label %kecleon.check, label %kecleon.fallback
/// kecleon.check:
///   %ok = and (kecleon_guard_holds_in(%versions, slot_a, version_a)), (kecleon_guard_holds_in(%versions, slot_b, version_b))
///   br %ok, label %entry, label %kecleon.fallback
/// kecleon.fallback:
///   kecleon_fall_back(ctx, fallback_index)     ; tail call into the original program: does not return
///   ret XDP_ABORTED                             ; reached only if the original is missing from the PROG_ARRAY (TC: TC_ACT_UNSPEC)
/// </code>
/// The original entry block's allocas move to the new entry block, so they stay static.
/// </summary>
public sealed class GuardPass : IModulePass
{
    public string Name => "guards";

    public PassResult Run(PassContext context)
    {
        var module = context.Module;
        if (context.State.SpecializedMaps.Count == 0)
        {
            context.Skip(Name, "nothing was specialized, so nothing needs a guard", "");
            return PassResult.Unchanged;
        }
        var snapshots = context.State.SpecializedMaps.Order(StringComparer.Ordinal).Select(context.Request.SnapshotOf).ToList();
        // The hot-key pass may have linked it already (for rarely written maps' checks and bumps).
        GuardPrelude.EnsureLinked(module, context.Request.Guards);
        var table = module.GetFunction(GuardPrelude.TableFunction)!.Value;
        var holds = module.GetFunction(GuardPrelude.HoldsInFunction)!.Value;
        var fallBack = module.GetFunction(GuardPrelude.FallBackFunction)!.Value;

        foreach (var program in context.Facts.Programs)
        {
            var index = context.Request.FallbackIndex.GetValueOrDefault(program.Name, 0);
            InsertGuard(module, program.Function, program.Type ?? BpfProgramType.Xdp, table, holds, fallBack, snapshots.Select(s => (s.GuardSlot, s.GuardVersion)).ToList(), index);
            context.Step(Name, $"{program.Name}: checks {string.Join(", ", snapshots.Select(s => $"{s.Name} (slot {s.GuardSlot} = version {s.GuardVersion})"))}, " +
                               $"else tail-calls the original (fallback slot {index})", program.Name);
        }
        // New entry blocks in every program.
        return PassResult.ChangedKeeping();
    }

    private static void InsertGuard(LlvmModule module, LlvmFunction entry, BpfProgramType type, LlvmFunction table, LlvmFunction holds,
        LlvmFunction fallBack, List<(int Slot, ulong Version)> guards, int fallbackIndex)
    {
        var context = module.Context;
        var location = entry.EntryBlock.Instructions.Select(i => i.RawDebugLocation).FirstOrDefault(l => l != 0);
        using var builder = new LlvmBuilder(context);
        var oldEntry = entry.PrependEntry(context, builder, "kecleon.guard", location);
        var failed = entry.AppendBlock(context, "kecleon.fallback");
        var check = entry.AppendBlock(context, "kecleon.check");
        var versions = builder.Call(table.FunctionType, table.Value, [], "versions");
        builder.CondBr(builder.ICmp(LlvmIntPredicate.Ne, versions, table.FunctionType.ReturnType.ConstNull()), check, failed);
        builder.PositionAtEnd(check);
        builder.DebugLocation = location;
        LlvmValue? all = null;
        foreach (var (slot, version) in guards)
        {
            var holdsNow = builder.Call(holds.FunctionType, holds.Value, [versions, context.Int32.ConstInt((ulong)slot), context.Int64.ConstInt(version)]);
            var ok = builder.ICmp(LlvmIntPredicate.Ne, holdsNow, context.Int32.ConstInt(0));
            all = all is null ? ok : builder.And(all.Value, ok);
        }
        builder.CondBr(all!.Value, oldEntry, failed);

        builder.PositionAtEnd(failed);
        builder.DebugLocation = location;
        var ctx = builder.BitCast(entry.Parameter(0), context.Int8.PointerTo());
        builder.Call(fallBack.FunctionType, fallBack.Value, [ctx, context.Int32.ConstInt((ulong)fallbackIndex)]);
        builder.Ret(entry.FunctionType.ReturnType.ConstInt(FailureVerdict(type)));
    }

    /// <summary>What a program returns if its original is missing from the PROG_ARRAY (the runtime never lets that
    /// happen): XDP_ABORTED, which the xdp:xdp_exception tracepoint reports; in TC, TC_ACT_UNSPEC (-1), the verdict of a
    /// program that has no opinion: a cls_bpf filter in direct-action mode goes on to the next filter, a tcx program to
    /// the next program (TCX_NEXT), and the packet passes when none decides. Never TC_ACT_SHOT (2, which XDP_PASS would
    /// read as): a missing original must not drop the interface's traffic.</summary>
    private static ulong FailureVerdict(BpfProgramType type) => type is BpfProgramType.SchedCls or BpfProgramType.SchedAct ? unchecked((ulong)-1L) : 0UL;
}
