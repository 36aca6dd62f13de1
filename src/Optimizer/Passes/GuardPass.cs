using System.Buffers.Binary;
using Kecleon.Bpf;
using Kecleon.Optimizer.CodeGen;
using Kecleon.Optimizer.Specialization;
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

        // Maps whose specialization is all in-place data: their expected version is data too, buffer 0's written here.
        var dataMaps = context.State.DataMaps;
        if (context.State.InPlaceSites.Count > 0)
        {
            var header = new byte[InPlaceLayout.HeaderWords * 8];
            for (var k = 0; k < InPlaceLayout.MaxMaps; k++)
            {
                var version = k < dataMaps.Count ? context.Request.SnapshotOf(dataMaps[k]).GuardVersion : InPlaceLayout.NeverValid;
                BinaryPrimitives.WriteUInt64LittleEndian(header.AsSpan((int)InPlaceLayout.ExpectedOffset(0, k)), version);
                BinaryPrimitives.WriteUInt64LittleEndian(header.AsSpan((int)InPlaceLayout.ExpectedOffset(1, k)), InPlaceLayout.NeverValid);
            }
            RangeSearchEmitter.Header(module).SetBytes(module.Context, header);
        }
        foreach (var program in context.Facts.Programs)
        {
            var index = context.Request.FallbackIndex.GetValueOrDefault(program.Name, 0);
            InsertGuard(module, program.Function, program.Type ?? BpfProgramType.Xdp, table, holds, fallBack,
                snapshots.Select(s => (s.GuardSlot, s.GuardVersion, DataIndex: IndexOf(dataMaps, s.Name))).ToList(), index);
            context.Step(Name, $"{program.Name}: checks {string.Join(", ", snapshots.Select(s => IndexOf(dataMaps, s.Name) < 0
                                   ? $"{s.Name} (slot {s.GuardSlot} = version {s.GuardVersion})"
                                   : $"{s.Name} (slot {s.GuardSlot} = the version its active in-place buffer was built from, now {s.GuardVersion})"))}, " +
                               $"else tail-calls the original (fallback slot {index})", program.Name);
        }
        // New entry blocks in every program.
        return PassResult.ChangedKeeping();
    }

    private static void InsertGuard(LlvmModule module, LlvmFunction entry, BpfProgramType type, LlvmFunction table, LlvmFunction holds,
        LlvmFunction fallBack, List<(int Slot, ulong Version, int DataIndex)> guards, int fallbackIndex)
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
        LlvmValue? expectedBase = null;
        foreach (var (slot, version, dataIndex) in guards)
        {
            LlvmValue expected;
            if (dataIndex < 0)
                expected = context.Int64.ConstInt(version);
            else
            {
                // expected[active][k] of the in-place header: the active buffer's rows were built from that version.
                var header = builder.BitCast(RangeSearchEmitter.Header(module), context.Int64.PointerTo());
                expectedBase ??= builder.Mul(builder.Opaque(builder.And(builder.Load(context.Int64, header, "active"), context.Int64.ConstInt(1))),
                    context.Int64.ConstInt(InPlaceLayout.MaxMaps), "expected_base");
                var at = builder.Add(expectedBase.Value, context.Int64.ConstInt((ulong)(1 + dataIndex)));
                expected = builder.Load(context.Int64, builder.Gep(context.Int64, header, [at]), "expected");
            }
            var holdsNow = builder.Call(holds.FunctionType, holds.Value, [versions, context.Int32.ConstInt((ulong)slot), expected]);
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

    private static int IndexOf(IReadOnlyList<string> maps, string map)
    {
        for (var i = 0; i < maps.Count; i++)
            if (maps[i] == map)
                return i;
        return -1;
    }

    /// <summary>What a program returns if its original is missing from the PROG_ARRAY (the runtime never lets that
    /// happen): XDP_ABORTED, which the xdp:xdp_exception tracepoint reports; in TC, TC_ACT_UNSPEC (-1), the verdict of a
    /// program that has no opinion: a cls_bpf filter in direct-action mode goes on to the next filter, a tcx program to
    /// the next program (TCX_NEXT), and the packet passes when none decides. Never TC_ACT_SHOT (2, which XDP_PASS would
    /// read as): a missing original must not drop the interface's traffic.</summary>
    private static ulong FailureVerdict(BpfProgramType type) => type is BpfProgramType.SchedCls or BpfProgramType.SchedAct ? unchecked((ulong)-1L) : 0UL;
}
