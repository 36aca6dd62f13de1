using Kecleon.Llvm;

namespace Kecleon.Optimizer.CodeGen;

/// <summary>
/// Integer <c>select</c>s rewritten as arithmetic, after LLVM's pipeline and before code generation, where the verifier
/// needs no bounds from them. BPF has no conditional move: the back end lowers every select to a branch, and the kernel's
/// verifier walks both sides of each. A chain of selects on the same packet's data (a first-set-bit search: five
/// levels, a shift and a count each) makes 2^n paths through the code after it, and on the firewall that walk was most
/// of what the verifier processed (44,000 of its 56,000 instructions in a rebuild, against a few hundred for the same
/// code without the branches), and most of a rebuild's load time.
/// <code>
///   %r = select i1 (icmp eq i64 %x, 0), i32 %a, i32 %b
/// becomes
///   %t = opaque(~%x &amp; (%x - 1))         ; the sign bit is set iff %x == 0
///   %z = opaque(%t >> 63)                  ; 1 or 0
///   %r = %b ^ ((%a ^ %b) &amp; trunc(0 - %z))
/// </code>
/// The barriers (<see cref="LlvmGlobals.Opaque"/>, no instruction) keep the back end from turning the arithmetic back
/// into a compare and a branch. The verifier then knows less about the result: only a select whose result reaches
/// nothing that needs bounds is rewritten (arithmetic, compares, branches on it, stores into stack slots that only
/// helpers read, such as a map key), never one that reaches an address, a helper's scalar argument, a return or
/// anything else; and only on a compare of integers (a compare of pointers is a bounds check the verifier must see).
/// </summary>
public static class SelectLowering
{
    /// <summary>Rewrites the selects of every defined function; returns how many.</summary>
    public static int Run(LlvmModule module)
    {
        var selects = module.Functions.Where(f => !f.IsDeclaration)
            .SelectMany(f => f.Blocks).SelectMany(b => b.Instructions)
            .Where(i => i.Opcode == LlvmOpcode.Select && Lowerable(i)).ToList();
        if (selects.Count == 0)
            return 0;
        using var builder = new LlvmBuilder(module.Context);
        foreach (var select in selects)
            Lower(builder, select);
        return selects.Count;
    }

    private static bool Lowerable(LlvmInstruction select)
    {
        var type = select.Type;
        if (type.Kind != LlvmTypeKind.Integer || type.IntWidth is not (8 or 16 or 32 or 64))
            return false;
        var condition = select.Operand(0);
        if (!condition.IsInstruction || condition.AsInstruction() is not { Opcode: LlvmOpcode.ICmp } compare)
            return false;
        var operand = compare.Operand(0).Type;
        if (operand.Kind != LlvmTypeKind.Integer || operand.IntWidth > 64)
            return false;
        return OnlyScalarUses(select.Value, [], 0);
    }

    /// <summary>Whether nothing <paramref name="value"/> flows into needs the verifier to bound it.</summary>
    private static bool OnlyScalarUses(LlvmValue value, HashSet<nint> seen, int depth)
    {
        if (depth > 64)
            return false;
        foreach (var user in value.Users)
        {
            if (!user.IsInstruction)
                return false;
            var instruction = user.AsInstruction();
            switch (instruction.Opcode)
            {
                case LlvmOpcode.ICmp or LlvmOpcode.Br or LlvmOpcode.Switch:
                    continue;
                case LlvmOpcode.Add or LlvmOpcode.Sub or LlvmOpcode.Mul or LlvmOpcode.Shl or LlvmOpcode.LShr or LlvmOpcode.AShr
                    or LlvmOpcode.And or LlvmOpcode.Or or LlvmOpcode.Xor or LlvmOpcode.Trunc or LlvmOpcode.ZExt or LlvmOpcode.SExt
                    or LlvmOpcode.Select or LlvmOpcode.Phi:
                    if (instruction.Opcode == LlvmOpcode.Select && instruction.Operand(0) == value)
                        continue; // a condition: a branch
                    if (seen.Add(instruction.Raw) && !OnlyScalarUses(instruction.Value, seen, depth + 1))
                        return false;
                    continue;
                case LlvmOpcode.Store when instruction.Operand(0) == value && instruction.Operand(1) != value
                                            && HelperReadSlot(instruction.Operand(1), seen, depth):
                    continue;
                default:
                    return false;
            }
        }
        return true;
    }

    /// <summary>A stack slot (or a field of one) that is only stored to, handed to helpers (a map key or value, which the
    /// kernel reads), and loaded from as a number that itself reaches nothing needing bounds.</summary>
    private static bool HelperReadSlot(LlvmValue pointer, HashSet<nint> seen, int depth)
    {
        while (pointer.IsInstruction && pointer.AsInstruction() is { Opcode: LlvmOpcode.GetElementPtr or LlvmOpcode.BitCast } step)
            pointer = step.Operand(0);
        if (!pointer.IsInstruction || pointer.AsInstruction().Opcode != LlvmOpcode.Alloca)
            return false;
        // Each slot is looked at once per select: a slot seen already was found fit (or the walk stopped there).
        return !seen.Add(pointer.Raw) || SlotUses(pointer, seen, depth, 0);
    }

    private static bool SlotUses(LlvmValue pointer, HashSet<nint> seen, int depth, int steps)
    {
        if (steps > 8)
            return false;
        foreach (var user in pointer.Users)
        {
            if (!user.IsInstruction)
                return false;
            var instruction = user.AsInstruction();
            switch (instruction.Opcode)
            {
                case LlvmOpcode.Store when instruction.Operand(1) == pointer && instruction.Operand(0) != pointer:
                    continue;
                case LlvmOpcode.GetElementPtr or LlvmOpcode.BitCast:
                    if (!SlotUses(instruction.Value, seen, depth, steps + 1))
                        return false;
                    continue;
                case LlvmOpcode.Load when instruction.Type.Kind == LlvmTypeKind.Integer:
                    if (seen.Add(instruction.Raw) && !OnlyScalarUses(instruction.Value, seen, depth + 1))
                        return false;
                    continue;
                case LlvmOpcode.Call when Kecleon.Helpers.HelperCalls.TryGetHelper(instruction, out _) || IsLifetime(instruction):
                    continue;
                // Filled (a struct's zeroing, a copy into it): a write, like a store.
                case LlvmOpcode.Call when IsFill(instruction) && instruction.Operand(0) == pointer && instruction.Operand(1) != pointer:
                    continue;
                default:
                    return false;
            }
        }
        return true;
    }

    private static bool IsLifetime(LlvmInstruction call) => CalleeStartsWith(call, "llvm.lifetime.");

    private static bool IsFill(LlvmInstruction call) => CalleeStartsWith(call, "llvm.memset.") || CalleeStartsWith(call, "llvm.memcpy.");

    private static bool CalleeStartsWith(LlvmInstruction call, string prefix) =>
        call.CalledValue.IsFunction && call.CalledValue.AsFunction().Name.StartsWith(prefix, StringComparison.Ordinal);

    private static void Lower(LlvmBuilder builder, LlvmInstruction select)
    {
        var context = builder.Context;
        var i64 = context.Int64;
        builder.PositionBefore(select);
        var compare = select.Operand(0).AsInstruction();
        var predicate = compare.IntPredicate;
        var width = compare.Operand(0).Type.IntWidth;
        var signed = predicate is LlvmIntPredicate.Slt or LlvmIntPredicate.Sle or LlvmIntPredicate.Sgt or LlvmIntPredicate.Sge;
        LlvmValue Wide(LlvmValue value)
        {
            if (width < 64)
            {
                value = builder.ZExt(value, i64);
                if (signed)
                {
                    var shift = i64.ConstInt((ulong)(64 - width));
                    value = builder.AShr(builder.Shl(value, shift), shift);
                }
            }
            // A signed order is the unsigned order of the values with their sign bits flipped.
            return signed ? builder.Xor(value, i64.ConstInt(1UL << 63)) : value;
        }
        var p = Wide(compare.Operand(0));
        var q = Wide(compare.Operand(1));
        var ones = i64.ConstInt(ulong.MaxValue);
        // Each returns a word whose sign bit is the answer.
        LlvmValue Equal(LlvmValue a, LlvmValue b)
        {
            var d = builder.Xor(a, b);
            return builder.And(builder.Xor(d, ones), builder.Sub(d, i64.ConstInt(1)));
        }
        LlvmValue Below(LlvmValue a, LlvmValue b) => width < 64 && !signed
            // Both below 2^32: the difference is negative exactly when a < b.
            ? builder.Sub(a, b)
            // The borrow out of a - b.
            : builder.Or(builder.And(builder.Xor(a, ones), b), builder.And(builder.Xor(builder.Xor(a, b), ones), builder.Sub(a, b)));
        var (sign, negate) = predicate switch
        {
            LlvmIntPredicate.Eq => (Equal(p, q), false),
            LlvmIntPredicate.Ne => (Equal(p, q), true),
            LlvmIntPredicate.Ult or LlvmIntPredicate.Slt => (Below(p, q), false),
            LlvmIntPredicate.Ugt or LlvmIntPredicate.Sgt => (Below(q, p), false),
            LlvmIntPredicate.Uge or LlvmIntPredicate.Sge => (Below(p, q), true),
            _ => (Below(q, p), true), // ule, sle
        };
        var bit = builder.Opaque(builder.LShr(builder.Opaque(sign), i64.ConstInt(63)));
        if (negate)
            bit = builder.Xor(bit, i64.ConstInt(1));
        LlvmValue mask = builder.Sub(i64.ConstInt(0), bit);
        var type = select.Type;
        if (type.IntWidth < 64)
            mask = builder.Trunc(mask, type);
        var whenTrue = select.Operand(1);
        var whenFalse = select.Operand(2);
        var result = builder.Xor(whenFalse, builder.And(builder.Xor(whenTrue, whenFalse), mask), select.Name);
        select.Value.ReplaceAllUsesWith(result);
        select.EraseFromParent();
    }
}
