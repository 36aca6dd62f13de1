using Kecleon.Access;
using Kecleon.Llvm;
using Kecleon.Optimizer.Analyses;
using Kecleon.Optimizer.Planning;
using Kecleon.Optimizer.Specialization;
using Kecleon.Passes;

namespace Kecleon.Optimizer.Passes;

/// <summary>
/// Per-field folding. A lookup at a constant key whose value the data plane writes only in some fields (a counter it
/// increments atomically beside configuration the control plane sets) stays, since the writes need its pointer; the loads
/// of the other fields through it become the snapshot's bytes at that key:
/// <code>
///   %p   = call i8* inttoptr (i64 1 ...)(i8* @conf, i8* %key)      ; key 0: bytes 8..16 written by the data plane
///   %f   = getelementptr %struct.conf, %struct.conf* %q, i64 0, i32 0
///   %mode = load i32, i32* %f                                      ; becomes i32 3, the snapshot's bytes 0..4
///   %c   = getelementptr %struct.conf, %struct.conf* %q, i64 0, i32 2
///   atomicrmw add i64* %c, i64 1 seq_cst                          ; stays
/// </code>
/// Only integer loads at constant offsets that no data-plane write overlaps are folded; a load that does, or one at an
/// offset not known, stays. The map is guarded like any specialized map: a control-plane write to it makes the program
/// fall back. When the key has no entry (a hash map's missing key), nothing is folded: the lookup returns null.
/// </summary>
public sealed class FieldFoldingPass : IModulePass
{
    public string Name => "field-folding";

    public PassResult Run(PassContext context)
    {
        var request = context.Request;
        using var layout = LlvmDataLayout.Of(context.Module);
        var changed = false;
        foreach (var site in context.Facts.LookupSites)
        {
            var decision = context.Plan.For(site.Index);
            if (decision.Strategy != SiteStrategy.FoldFields || decision.FoldedKey is not { } key || site.KeyClass is not { } keyClass)
                continue;
            var mapName = decision.Map!;
            var snapshot = SpecializationPlanner.OneKey(request.SnapshotOf(mapName), key);
            if (snapshot.Entries.Count == 0)
            {
                context.Skip(Name, $"{mapName} has no entry at key {keyClass.KeyText}: nothing to fold", site.Location);
                continue;
            }
            var value = snapshot.Entries[0].Value;
            var loads = new List<(LlvmInstruction Load, long Offset, int Bytes)>();
            CollectLoads(site.Call.Value, 0, layout, loads);
            var folded = new List<ByteRange>();
            foreach (var (load, offset, bytes) in loads)
            {
                if (offset < 0 || offset + bytes > value.Length || keyClass.Written.Any(w => w.Overlaps(offset, offset + bytes)))
                    continue;
                ulong constant = 0;
                for (var b = bytes - 1; b >= 0; b--)
                    constant = (constant << 8) | value[offset + b];
                load.Value.ReplaceAllUsesWith(load.Type.ConstInt(constant));
                load.EraseFromParent();
                folded.Add(new ByteRange(offset, offset + bytes));
            }
            if (folded.Count == 0)
            {
                context.Skip(Name, $"{mapName}: no load of a field the data plane does not write, at key {keyClass.KeyText}", site.Location);
                continue;
            }
            changed = true;
            context.State.Rewrote(mapName, []);
            var ranges = folded.Distinct().OrderBy(r => r.Start).ToList();
            context.Step(Name, $"{mapName}: key {keyClass.KeyText}, field{(ranges.Count > 1 ? "s" : "")} at offset {string.Join(", ", ranges)} folded " +
                               $"({ranges.Count} load{(ranges.Count > 1 ? "s" : "")}); {keyClass.WrittenText}, kept live", site.Location);
        }
        return changed ? PassResult.ChangedKeeping() : PassResult.Unchanged;
    }

    /// <summary>The integer loads through <paramref name="pointer"/> (by bitcasts and constant GEPs), with their offsets.</summary>
    private static void CollectLoads(LlvmValue pointer, long offset, LlvmDataLayout layout, List<(LlvmInstruction, long, int)> loads)
    {
        foreach (var user in pointer.Users.Distinct().ToList())
        {
            if (!user.IsInstruction)
                continue;
            var instruction = user.AsInstruction();
            switch (instruction.Opcode)
            {
                case LlvmOpcode.BitCast:
                    CollectLoads(user, offset, layout, loads);
                    break;
                case LlvmOpcode.GetElementPtr when instruction.Operand(0) == pointer && LookupResultUses.TryConstantOffset(instruction, layout, out var delta):
                    CollectLoads(user, offset + delta, layout, loads);
                    break;
                case LlvmOpcode.Load when !instruction.IsVolatile && instruction.Type.Kind == LlvmTypeKind.Integer
                                          && instruction.Type.IntWidth is 8 or 16 or 32 or 64:
                    loads.Add((instruction, offset, instruction.Type.IntWidth / 8));
                    break;
            }
        }
    }
}
