using Kecleon.Helpers;
using Kecleon.Llvm;
using Kecleon.Optimizer.Specialization;
using Kecleon.Passes;

namespace Kecleon.Optimizer.Passes;

/// <summary>
/// Tells LLVM what a verified BPF program guarantees about its memory: the context and the packet are never the
/// stack, a global or a map value, and the map and time helpers never touch them. Without it every helper call and
/// every store through a map value (a counter bump, a token taken) clobbers all memory in LLVM's view, so a fused
/// chain's later stages load and bounds-check the packet again after the first stage has parsed it. The accesses
/// whose pointer is the context or comes from one of its data pointers join one scope; the stack, globals, map
/// values and the helper calls that neither read nor write the packet are marked as outside it (scoped alias
/// metadata), so GVN forwards the first stage's loads into the later ones and their compares fold:
/// <code>
/// before (entry, two stages fused)                      after
///   %d = load i32, ptr %ctx                               %d = load i32, ptr %ctx, !alias.scope !pkt
///   %p = inttoptr i64 (zext %d) to ptr                    %p = inttoptr i64 (zext %d) to ptr
///   %x = load i8, ptr %p                                  %x = load i8, ptr %p, !alias.scope !pkt
///   %v = call ptr inttoptr (i64 1 ...)(@stats, %key)      %v = call ptr inttoptr (i64 1 ...)(@stats, %key), !noalias !pkt
///   store i64 %n, ptr %v                                  store i64 %n, ptr %v, !noalias !pkt
///   %d2 = load i32, ptr %ctx                              %d2 = load i32, ptr %ctx, !alias.scope !pkt   ; GVN: %d
/// </code>
/// Only what is proved is marked: a pointer whose origin is not one of these (a computed integer, a phi of mixed
/// origins, an unknown call's result) is left alone, and so is a helper that may read or write the packet or move
/// its data pointers (<c>xdp_adjust_head</c>, <c>skb_store_bytes</c>, ...), or one handed a packet pointer.
/// </summary>
public sealed class PacketScopePass : IModulePass
{
    private const string Domain = "kecleon.memory";
    private const string Scope = "kecleon.context-and-packet";

    /// <summary>Helpers that read and write only their arguments' memory and the kernel's own: the map operations,
    /// the clocks, the CPU number, the random number and the redirects (which record a target, not the packet).</summary>
    private static readonly HashSet<int> PacketBlindHelpers =
    [
        BpfHelpers.MapLookupElem, BpfHelpers.MapUpdateElem, BpfHelpers.MapDeleteElem,
        5 /* ktime_get_ns */, 7 /* get_prandom_u32 */, 8 /* get_smp_processor_id */, 23 /* redirect */,
        51 /* redirect_map */, 125 /* ktime_get_boot_ns */, 195 /* map_lookup_percpu_elem */,
    ];

    private enum Origin { Unknown, Packet, Private }

    public string Name => "packet-scope";

    public PassResult Run(PassContext context)
    {
        var programs = Programs(context);
        if (programs.Count == 0)
            return PassResult.Unchanged;
        var llvm = context.Module.Context;
        var changed = false;
        foreach (var (program, ctx) in programs)
        {
            var (scoped, accesses, calls) = Mark(program, ctx, llvm);
            if (scoped + accesses + calls == 0)
                continue;
            changed = true;
            context.Step(Name, $"{scoped} context and packet accesses scoped apart from {accesses} stack, global and map-value accesses " +
                               $"and {calls} helper calls that do not touch the packet", program.Name);
        }
        return PassResult.Of(changed);
    }

    /// <summary>The functions to mark, each with its context parameter (none: a function that is not a program, whose
    /// accesses can only be proved outside the scope). After fusion: the entry a stage was fused into (nothing fused,
    /// nothing to forward: a single program is left as it is). In the specialization of a fused chain: its programs
    /// again and every other function, for what the specialization added (its answers' stack slots, the search
    /// functions inlined later with their value barriers), which would otherwise clobber the packet.</summary>
    private static List<(LlvmFunction Function, LlvmValue? Ctx)> Programs(PassContext context)
    {
        if (context.TryInput<FusionRequest>(out var fusion))
        {
            if (context.TryInput<FusionOutcome>(out var fused) && fused.Inlined == 0)
                return [];
            return context.Module.GetFunction(fusion.Entry) is { IsDeclaration: false, ParameterCount: 1 } entry
                ? [(entry, entry.Parameter(0))]
                : throw new ArgumentException($"packet-scope: the module has no program '{fusion.Entry}'", nameof(context));
        }
        if (!context.TryInput<SpecializationRequest>(out var request) || request.FusedProgramArrays.Count == 0)
            return [];
        var programs = context.Facts.Programs.Select(p => p.Function).Where(f => f.ParameterCount == 1).ToList();
        var raw = programs.Select(f => f.Raw).ToHashSet();
        return
        [
            .. programs.Select(f => (f, (LlvmValue?)f.Parameter(0))),
            .. context.Module.Functions.Where(f => !f.IsDeclaration && !raw.Contains(f.Raw)).Select(f => (f, (LlvmValue?)null)),
        ];
    }

    private static (int Scoped, int Accesses, int Calls) Mark(LlvmFunction entry, LlvmValue? program, LlvmContext llvm)
    {
        // Not a program: no pointer is proved to be the packet (a null value matches no pointer).
        var ctx = program ?? default;
        var origins = new Dictionary<nint, Origin>();
        int scoped = 0, accesses = 0, calls = 0;
        foreach (var instruction in entry.Blocks.SelectMany(b => b.Instructions).ToList())
        {
            switch (instruction.Opcode)
            {
                case LlvmOpcode.Load or LlvmOpcode.Store:
                    var pointer = instruction.Opcode == LlvmOpcode.Load ? instruction.Operand(0) : instruction.Operand(1);
                    switch (OriginOf(pointer, ctx, origins, 0))
                    {
                        case Origin.Packet when instruction.SetAliasScope(llvm, Domain, Scope):
                            scoped++;
                            break;
                        case Origin.Private when instruction.SetNoAlias(llvm, Domain, Scope):
                            accesses++;
                            break;
                    }
                    break;
                case LlvmOpcode.Call when HelperCalls.TryGetHelper(instruction, out var helper) && PacketBlindHelpers.Contains(helper.Id):
                    var blind = Enumerable.Range(0, instruction.ArgumentCount).Select(instruction.Argument)
                        .All(a => a.Type.Kind != LlvmTypeKind.Pointer || OriginOf(a, ctx, origins, 0) == Origin.Private);
                    if (blind && instruction.SetNoAlias(llvm, Domain, Scope))
                        calls++;
                    break;
                case LlvmOpcode.Call when instruction.IsOpaque() && instruction.SetNoAlias(llvm, Domain, Scope):
                    calls++;
                    break;
            }
        }
        return (scoped, accesses, calls);
    }

    /// <summary>Where a pointer points: the context or the packet (the context argument, or an integer loaded from it
    /// made a pointer: the verifier lets a program dereference no other integer), memory of the program's own (the
    /// stack, a global, a map value), or not proved.</summary>
    private static Origin OriginOf(LlvmValue pointer, LlvmValue ctx, Dictionary<nint, Origin> origins, int depth)
    {
        if (origins.TryGetValue(pointer.Raw, out var known))
            return known;
        if (depth > 32)
            return Origin.Unknown;
        // Provisional, so a phi cycle resolves to "not proved" rather than recursing.
        origins[pointer.Raw] = Origin.Unknown;
        var origin = Compute(pointer);
        origins[pointer.Raw] = origin;
        return origin;

        Origin Compute(LlvmValue value)
        {
            if (value.Raw == ctx.Raw)
                return Origin.Packet;
            if (value.IsGlobalVariable)
                return Origin.Private;
            if (value.IsConstantExpression)
                return value.ConstantOpcode is LlvmOpcode.GetElementPtr or LlvmOpcode.BitCast or LlvmOpcode.AddrSpaceCast
                    ? OriginOf(value.Operand(0), ctx, origins, depth + 1)
                    : Origin.Unknown;
            if (!value.IsInstruction)
                return Origin.Unknown;
            var instruction = value.AsInstruction();
            switch (instruction.Opcode)
            {
                case LlvmOpcode.GetElementPtr or LlvmOpcode.BitCast or LlvmOpcode.AddrSpaceCast:
                    return OriginOf(instruction.Operand(0), ctx, origins, depth + 1);
                case LlvmOpcode.Alloca:
                    return Origin.Private;
                case LlvmOpcode.Call:
                    // A map lookup's result is a map value (or null).
                    return HelperCalls.TryGetHelper(instruction, out var helper) && helper.MapEffect == MapEffect.Lookup
                        ? Origin.Private
                        : Origin.Unknown;
                case LlvmOpcode.IntToPtr:
                    return IsContextField(instruction.Operand(0)) ? Origin.Packet : Origin.Unknown;
                case LlvmOpcode.Phi:
                    return Same(Enumerable.Range(0, instruction.IncomingCount).Select(i => instruction.Incoming(i).Value));
                case LlvmOpcode.Select:
                    return Same([instruction.Operand(1), instruction.Operand(2)]);
                default:
                    return Origin.Unknown;
            }
        }

        Origin Same(IEnumerable<LlvmValue> values)
        {
            Origin? all = null;
            foreach (var value in values)
            {
                var origin = OriginOf(value, ctx, origins, depth + 1);
                if (origin == Origin.Unknown || (all is { } seen && seen != origin))
                    return Origin.Unknown;
                all = origin;
            }
            return all ?? Origin.Unknown;
        }

        // An integer read from the context (data, data_end, data_meta), widened or narrowed.
        bool IsContextField(LlvmValue integer)
        {
            for (var i = 0; i < 4 && integer.IsInstruction; i++)
            {
                var instruction = integer.AsInstruction();
                if (instruction.Opcode is LlvmOpcode.ZExt or LlvmOpcode.SExt or LlvmOpcode.Trunc)
                {
                    integer = instruction.Operand(0);
                    continue;
                }
                return instruction.Opcode == LlvmOpcode.Load && Stripped(instruction.Operand(0)).Raw == ctx.Raw;
            }
            return false;
        }
    }

    private static LlvmValue Stripped(LlvmValue pointer)
    {
        while (true)
        {
            if (pointer.IsConstantExpression && pointer.ConstantOpcode is LlvmOpcode.GetElementPtr or LlvmOpcode.BitCast)
                pointer = pointer.Operand(0);
            else if (pointer.IsInstruction && pointer.AsInstruction().Opcode is LlvmOpcode.GetElementPtr or LlvmOpcode.BitCast)
                pointer = pointer.AsInstruction().Operand(0);
            else
                return pointer;
        }
    }
}
