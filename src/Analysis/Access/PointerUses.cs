using Kecleon.Cfg;
using Kecleon.Helpers;
using Kecleon.Llvm;

namespace Kecleon.Access;

/// <summary>What is done with a pointer (or with something derived from it by GEP, casts, phi or select).</summary>
public enum PointerUseKind
{
    Load,
    /// <summary>The pointer is compared (a null check, a bounds check).</summary>
    Compare,
    /// <summary>Source of <c>llvm.memcpy</c>/<c>llvm.memmove</c>.</summary>
    CopyFrom,
    Store,
    /// <summary><c>atomicrmw</c> or <c>cmpxchg</c> on the pointee.</summary>
    Atomic,
    /// <summary>Destination of <c>llvm.memcpy</c>/<c>llvm.memmove</c>.</summary>
    CopyTo,
    /// <summary>Destination of <c>llvm.memset</c>.</summary>
    Fill,
    /// <summary>Passed to a BPF helper; what that means depends on the helper and the argument.</summary>
    HelperArgument,
    /// <summary>The pointer itself is stored to memory: it escapes.</summary>
    StoredToMemory,
    PointerToInteger,
    /// <summary>Passed to a function or intrinsic whose body we do not see.</summary>
    UnknownCall,
    InlineAsm,
    /// <summary>Named in another global's initializer (a map-in-map's <c>.values</c>, <c>llvm.used</c>).</summary>
    GlobalInitializer,
    /// <summary>Any use the walker does not know.</summary>
    Unrecognised,
    /// <summary>Passed to a function defined in the module; the walk continues in its parameter. Informational.</summary>
    PassedToFunction,
}

/// <summary>One use of a tracked pointer. <see cref="User"/> is an instruction, except for
/// <see cref="PointerUseKind.GlobalInitializer"/> (the global) and constant expressions (<see cref="PointerUseKind.Unrecognised"/>).</summary>
public readonly record struct PointerUse(PointerUseKind Kind, LlvmValue User, int Argument = -1, BpfHelper? Helper = null)
{
    public bool IsWrite => Kind is PointerUseKind.Store or PointerUseKind.Atomic or PointerUseKind.CopyTo or PointerUseKind.Fill;
    public bool IsEscape => Kind is PointerUseKind.StoredToMemory or PointerUseKind.PointerToInteger or PointerUseKind.UnknownCall
        or PointerUseKind.InlineAsm or PointerUseKind.Unrecognised;
    public LlvmInstruction? Instruction => User.IsInstruction ? User.AsInstruction() : null;
}

/// <summary>
/// Follows a pointer through everything that yields the same memory — GEP, bitcast, phi, select, CO-RE
/// <c>llvm.preserve.*.access.index</c>, BPF-to-BPF calls (into the parameter) and returns (to the callers) — and lists
/// what is done with it. Stateless; the call graph supplies the callers of a function.
/// </summary>
internal static class PointerUses
{
    /// <param name="followReturn">Whether a pointer a subprogram returns continues at this call site (default: at every
    /// call site). Lets a caller keep apart the callers that passed different maps.</param>
    public static List<PointerUse> Walk(LlvmValue start, CallGraph calls, Func<CallEdge, bool>? followReturn = null)
    {
        var uses = new List<PointerUse>();
        var seen = new HashSet<LlvmValue>();
        var work = new Stack<LlvmValue>();
        work.Push(start);
        while (work.Count > 0)
        {
            var value = work.Pop();
            if (!seen.Add(value))
                continue;
            foreach (var user in value.Users.Distinct())
                Visit(value, user, calls, uses, work, followReturn);
        }
        return uses;
    }

    private static void Visit(LlvmValue value, LlvmValue user, CallGraph calls, List<PointerUse> uses, Stack<LlvmValue> work,
        Func<CallEdge, bool>? followReturn)
    {
        if (user.IsGlobalVariable)
        {
            uses.Add(new PointerUse(PointerUseKind.GlobalInitializer, user));
            return;
        }
        if (!user.IsInstruction)
        {
            // Constant expressions (a bitcast or GEP of a global) are the same pointer; constant aggregates lead to the
            // global they initialise.
            if (!user.IsConstantExpression || user.ConstantOpcode is LlvmOpcode.BitCast or LlvmOpcode.GetElementPtr or LlvmOpcode.AddrSpaceCast)
                work.Push(user);
            else
                uses.Add(new PointerUse(PointerUseKind.Unrecognised, user));
            return;
        }
        var instruction = user.AsInstruction();
        switch (instruction.Opcode)
        {
            case LlvmOpcode.GetElementPtr:
                if (instruction.Operand(0) == value)
                    work.Push(user);
                else
                    uses.Add(new PointerUse(PointerUseKind.Unrecognised, user));
                break;
            case LlvmOpcode.BitCast or LlvmOpcode.AddrSpaceCast or LlvmOpcode.Freeze or LlvmOpcode.Phi:
                work.Push(user);
                break;
            case LlvmOpcode.Select:
                if (instruction.Operand(1) == value || instruction.Operand(2) == value)
                    work.Push(user);
                break;
            case LlvmOpcode.Load:
                uses.Add(new PointerUse(PointerUseKind.Load, user));
                break;
            case LlvmOpcode.Store:
                if (instruction.Operand(1) == value)
                    uses.Add(new PointerUse(PointerUseKind.Store, user));
                if (instruction.Operand(0) == value)
                    uses.Add(new PointerUse(PointerUseKind.StoredToMemory, user));
                break;
            case LlvmOpcode.AtomicRmw or LlvmOpcode.AtomicCmpXchg:
                if (instruction.Operand(0) == value)
                    uses.Add(new PointerUse(PointerUseKind.Atomic, user));
                if (instruction.Operands.Skip(1).Contains(value))
                    uses.Add(new PointerUse(PointerUseKind.StoredToMemory, user));
                break;
            case LlvmOpcode.ICmp:
                uses.Add(new PointerUse(PointerUseKind.Compare, user));
                break;
            case LlvmOpcode.PtrToInt:
                uses.Add(new PointerUse(PointerUseKind.PointerToInteger, user));
                break;
            case LlvmOpcode.Call:
                VisitCall(value, instruction, calls, uses, work);
                break;
            case LlvmOpcode.Ret:
                // Returned from a subprogram: the pointer continues at each call site.
                foreach (var caller in calls.CallersOf(instruction.Block.Parent))
                    if (followReturn is null || followReturn(caller))
                        work.Push(caller.Site.Value);
                break;
            default:
                uses.Add(new PointerUse(PointerUseKind.Unrecognised, user));
                break;
        }
    }

    private static void VisitCall(LlvmValue value, LlvmInstruction call, CallGraph calls, List<PointerUse> uses, Stack<LlvmValue> work)
    {
        var callee = CallGraph.StripCasts(call.CalledValue);
        if (callee == value)
        {
            uses.Add(new PointerUse(PointerUseKind.Unrecognised, call.Value));
            return;
        }
        var helper = HelperCalls.TryGetHelper(call, out var h) ? h : null;
        for (var i = 0; i < call.ArgumentCount; i++)
        {
            if (call.Argument(i) != value)
                continue;
            if (callee.IsInlineAsm)
            {
                uses.Add(new PointerUse(PointerUseKind.InlineAsm, call.Value, i));
            }
            else if (helper is not null)
            {
                uses.Add(new PointerUse(PointerUseKind.HelperArgument, call.Value, i, helper));
            }
            else if (callee.IsFunction)
            {
                var function = callee.AsFunction();
                if (function.Name.StartsWith("llvm.", StringComparison.Ordinal))
                    VisitIntrinsic(function.Name, i, call, uses, work);
                else if (!function.IsDeclaration && i < function.ParameterCount)
                {
                    uses.Add(new PointerUse(PointerUseKind.PassedToFunction, call.Value, i));
                    work.Push(function.Parameter(i));
                }
                else
                    uses.Add(new PointerUse(PointerUseKind.UnknownCall, call.Value, i));
            }
            else
            {
                uses.Add(new PointerUse(PointerUseKind.UnknownCall, call.Value, i));
            }
        }
    }

    private static void VisitIntrinsic(string name, int argument, LlvmInstruction call, List<PointerUse> uses, Stack<LlvmValue> work)
    {
        if (name.StartsWith("llvm.memcpy", StringComparison.Ordinal) || name.StartsWith("llvm.memmove", StringComparison.Ordinal))
            uses.Add(new PointerUse(argument == 0 ? PointerUseKind.CopyTo : PointerUseKind.CopyFrom, call.Value, argument));
        else if (name.StartsWith("llvm.memset", StringComparison.Ordinal))
            uses.Add(new PointerUse(argument == 0 ? PointerUseKind.Fill : PointerUseKind.Unrecognised, call.Value, argument));
        else if (IsPassThrough(name) && argument == ThroughArgument(name))
            work.Push(call.Value);
        else if (!IsHarmless(name))
            uses.Add(new PointerUse(PointerUseKind.UnknownCall, call.Value, argument));
    }

    /// <summary>Intrinsics whose result is their pointer argument, moved: CO-RE relocations and the BPF back end's
    /// optimisation barrier.</summary>
    internal static bool IsPassThrough(string name) =>
        name.StartsWith("llvm.preserve.", StringComparison.Ordinal) || name.StartsWith("llvm.bpf.passthrough", StringComparison.Ordinal)
        || name.StartsWith("llvm.ssa.copy", StringComparison.Ordinal) || name.StartsWith("llvm.launder.invariant.group", StringComparison.Ordinal)
        || name.StartsWith("llvm.strip.invariant.group", StringComparison.Ordinal);

    private static int ThroughArgument(string name) => name.StartsWith("llvm.bpf.passthrough", StringComparison.Ordinal) ? 1 : 0;

    private static bool IsHarmless(string name) =>
        name.StartsWith("llvm.lifetime.", StringComparison.Ordinal) || name.StartsWith("llvm.dbg.", StringComparison.Ordinal)
        || name.StartsWith("llvm.assume", StringComparison.Ordinal) || name.StartsWith("llvm.invariant.", StringComparison.Ordinal)
        || name.StartsWith("llvm.objectsize", StringComparison.Ordinal) || name.StartsWith("llvm.prefetch", StringComparison.Ordinal)
        || name.StartsWith("llvm.var.annotation", StringComparison.Ordinal) || name.StartsWith("llvm.ptr.annotation", StringComparison.Ordinal)
        || name.StartsWith("llvm.experimental.noalias.scope.decl", StringComparison.Ordinal);
}
