using System.Buffers.Binary;
using Kecleon.Access;
using Kecleon.Bpf;
using Kecleon.Helpers;
using Kecleon.Llvm;
using Kecleon.Optimizer.Analyses;
using Kecleon.Optimizer.Passes;
using Kecleon.Optimizer.Specialization;
using Kecleon.Passes;

namespace Kecleon.Optimizer.Analyses;

/// <summary>A use of a lookup's result pointer that the rewrite can serve from the answer's words.</summary>
internal abstract record ResultUse;
/// <summary><c>load iN, p + Offset</c> within one 64-bit word.</summary>
internal sealed record LoadUse(LlvmInstruction Load, long Offset, int Bits) : ResultUse;
/// <summary><c>icmp eq/ne p, null</c>.</summary>
internal sealed record NullCompareUse(LlvmInstruction Compare, bool IsEqual) : ResultUse;
/// <summary>An argument a map helper only reads (a key, an update's value): it becomes a stack copy of the words.</summary>
internal sealed record HelperArgumentUse(LlvmInstruction Call, int Argument, long Offset, int Size) : ResultUse;
/// <summary><c>memcpy(dst, p + Offset, Size)</c>: the source becomes a stack copy of the words.</summary>
internal sealed record MemcpySourceUse(LlvmInstruction Call, long Offset, int Size) : ResultUse;
/// <summary>The pointer (<paramref name="Incoming"/>: the result itself, a cast of it, or a pointer <paramref name="Offset"/>
/// bytes into the value, a whole number of words) merges with other lookups' results, other such phis or null in a phi.</summary>
internal sealed record PhiUse(LlvmInstruction Phi, LlvmValue Incoming, long Offset) : ResultUse;

/// <summary>A lookup's call (or a phi merging lookups) with the uses of its result and the casts and constant offsets
/// between them, which go once the uses are rewritten.</summary>
internal sealed record SiteUses(LlvmInstruction Call, List<ResultUse> Uses, List<LlvmInstruction> Derived);

/// <summary>Lookups whose results phis merge, and those phis (a phi of phis among them), each with its uses: rewritten
/// together, each lookup to its own map's answer and each phi to a phi of answers.</summary>
internal sealed record PhiGroup(List<SiteUses> Members, List<SiteUses> Phis);

/// <summary>
/// Which uses a lookup's result pointer has, through casts and constant offsets: the uses the site rewrite can serve
/// from the answer's words, or why not. It answers for the module as it is when asked (a rewrite of one site changes
/// the uses another site's result may have), so what it caches is only what does not change: the data layout, the
/// maps' definitions and the lookup sites by call.
/// </summary>
internal sealed class LookupResultUses : IModuleAnalysis<LookupResultUses>, IDisposable
{
    private readonly LlvmDataLayout _layout;
    private readonly Dictionary<string, Maps.MapDefinition> _maps;
    private readonly Dictionary<LlvmValue, HelperCallSite> _sitesByCall;

    private LookupResultUses(LlvmDataLayout layout, Dictionary<string, Maps.MapDefinition> maps, Dictionary<LlvmValue, HelperCallSite> sitesByCall)
    {
        _layout = layout;
        _maps = maps;
        _sitesByCall = sitesByCall;
    }

    public static LookupResultUses Compute(PassContext context) =>
        new(LlvmDataLayout.Of(context.Module), context.Facts.Maps.ToDictionary(m => m.Name), context.Facts.LookupSites.ToDictionary(s => s.Call.Value));

    public void Dispose() => _layout.Dispose();

    /// <summary>The lookup site whose call <paramref name="call"/> is.</summary>
    public HelperCallSite SiteOf(LlvmInstruction call) => _sitesByCall[call.Value];

    /// <summary>The uses of <paramref name="call"/>'s result, or why they cannot all be served from the answer.</summary>
    public bool TryCollect(LlvmInstruction call, out SiteUses uses, out string why)
    {
        uses = new SiteUses(call, [], []);
        return TryCollectUses(call.Value, 0, _layout, _maps, uses.Uses, uses.Derived, out why);
    }

    /// <summary>The lookups and phis that merge with a result (see the private overload).</summary>
    public bool TryCollectPhiGroup(SiteUses first, out PhiGroup group, out string why) =>
        TryCollectPhiGroup(first, _sitesByCall, _layout, _maps, out group, out why);

    private static bool TryCollectUses(LlvmValue pointer, long offset, LlvmDataLayout layout, Dictionary<string, Maps.MapDefinition> maps,
        List<ResultUse> uses, List<LlvmInstruction> derived, out string why)
    {
        why = "";
        foreach (var user in pointer.Users.Distinct().ToList())
        {
            if (!user.IsInstruction)
            {
                why = "is used by a constant expression";
                return false;
            }
            var instruction = user.AsInstruction();
            switch (instruction.Opcode)
            {
                case LlvmOpcode.BitCast:
                    derived.Add(instruction);
                    if (!TryCollectUses(user, offset, layout, maps, uses, derived, out why))
                        return false;
                    break;
                case LlvmOpcode.GetElementPtr when instruction.Operand(0) == pointer && TryConstantOffset(instruction, layout, out var delta):
                    derived.Add(instruction);
                    if (!TryCollectUses(user, offset + delta, layout, maps, uses, derived, out why))
                        return false;
                    break;
                case LlvmOpcode.Load when !instruction.IsVolatile && instruction.Type.Kind == LlvmTypeKind.Integer
                                          && instruction.Type.IntWidth is 8 or 16 or 32 or 64:
                    var bits = instruction.Type.IntWidth;
                    if (offset % 8 * 8 + bits > 64)
                    {
                        why = "is loaded across a 64-bit word boundary";
                        return false;
                    }
                    uses.Add(new LoadUse(instruction, offset, bits));
                    break;
                case LlvmOpcode.ICmp when offset == 0 && instruction.IntPredicate is LlvmIntPredicate.Eq or LlvmIntPredicate.Ne
                                          && OtherOperand(instruction, pointer).IsNullValue:
                    uses.Add(new NullCompareUse(instruction, instruction.IntPredicate == LlvmIntPredicate.Eq));
                    break;
                case LlvmOpcode.Call when TryReadOnlyHelperArgument(instruction, pointer, maps, out var argument, out var size)
                                          && offset % 8 == 0:
                    uses.Add(new HelperArgumentUse(instruction, argument, offset, size));
                    break;
                case LlvmOpcode.Call when IsMemcpySource(instruction, pointer, out var length):
                    uses.Add(new MemcpySourceUse(instruction, offset, length));
                    break;
                case LlvmOpcode.Phi when offset % 8 == 0:
                    uses.Add(new PhiUse(instruction, pointer, offset));
                    break;
                case LlvmOpcode.Phi:
                    why = "is merged by a phi at an offset inside a 64-bit word";
                    return false;
                default:
                    why = $"is used by '{instruction.Opcode}'";
                    return false;
            }
        }
        return true;
    }

    private static LlvmValue OtherOperand(LlvmInstruction compare, LlvmValue pointer) =>
        compare.Operand(0) == pointer ? compare.Operand(1) : compare.Operand(0);

    /// <summary><c>llvm.memcpy(dst, pointer, constant length, not volatile)</c> reading from the value.</summary>
    private static bool IsMemcpySource(LlvmInstruction call, LlvmValue pointer, out int length)
    {
        length = 0;
        var callee = call.CalledValue;
        if (!callee.IsFunction || !callee.Name.StartsWith("llvm.memcpy.", StringComparison.Ordinal) || call.ArgumentCount < 4)
            return false;
        if (call.Argument(1) != pointer || call.Argument(0) == pointer || !call.Argument(2).IsConstantInt
            || !call.Argument(3).IsConstantInt || call.Argument(3).ZExtValue != 0)
            return false;
        length = (int)call.Argument(2).ZExtValue;
        return length is > 0 and <= 256;
    }

    /// <summary>
    /// Lookups whose results phis merge: the balancer's "exact VIP, else the any-port VIP", or the router's "the host
    /// table, else the prefix table, else the default", where phis merge phis:
    /// <code>
    ///   %lpm = phi i8* [ %p2, %prefix ], [ %p3, %default ]
    ///   %hop = phi i8* [ %p1, %entry ], [ %lpm, %more ], [ null, %other ]
    /// </code>
    /// The group is closed: every incoming value of every phi in it is null, a lookup (in any map, through casts) or
    /// another phi of the group, and the uses of every lookup and phi are ones a lookup may have. Each lookup becomes
    /// its map's <c>{found, words}</c> and each phi a phi of those (a miss for null), so the loads after the merge read
    /// whichever answer came in. A lookup may come in as a pointer to a field of its value, a whole number of words into
    /// it (the router's "this entry's MAC, or that one's"): its answer is then shifted by those words before the phi.
    /// </summary>
    private static bool TryCollectPhiGroup(SiteUses first, Dictionary<LlvmValue, HelperCallSite> sitesByCall, LlvmDataLayout layout,
        Dictionary<string, Maps.MapDefinition> maps, out PhiGroup group, out string why)
    {
        group = new PhiGroup([first], []);
        why = "";
        var pending = new Queue<LlvmInstruction>();
        var seen = new HashSet<LlvmValue>();
        void Enqueue(SiteUses site)
        {
            foreach (var use in site.Uses.OfType<PhiUse>())
                if (seen.Add(use.Phi.Value))
                    pending.Enqueue(use.Phi);
        }
        Enqueue(first);
        while (pending.TryDequeue(out var phi))
        {
            for (var i = 0; i < phi.IncomingCount; i++)
            {
                var (value, _) = phi.Incoming(i);
                if (value.IsNullValue)
                    continue;
                // Through casts and constant offsets (a pointer to a field of the value) to the lookup or phi.
                var source = value;
                while (source.IsInstruction && source.AsInstruction() is var step
                       && (step.Opcode == LlvmOpcode.BitCast || step.Opcode == LlvmOpcode.GetElementPtr && TryConstantOffset(step, layout, out _)))
                    source = step.Operand(0);
                if (!source.IsInstruction)
                {
                    why = "is merged by a phi with a value that is not a map lookup";
                    return false;
                }
                var instruction = source.AsInstruction();
                if (instruction.Opcode == LlvmOpcode.Phi)
                {
                    if (seen.Add(source))
                        pending.Enqueue(instruction);
                    continue;
                }
                if (group.Members.Any(m => m.Call.Value == source))
                    continue;
                if (!sitesByCall.TryGetValue(source, out var other) || other.Maps.Count != 1 || other.InnerMapOf is not null)
                {
                    why = "is merged by a phi with a value that is not a lookup in one map";
                    return false;
                }
                var member = new SiteUses(instruction, [], []);
                if (!TryCollectUses(source, 0, layout, maps, member.Uses, member.Derived, out why))
                {
                    why = $"is merged by a phi with a lookup in {other.Maps[0].Name} whose result {why}";
                    return false;
                }
                group.Members.Add(member);
                Enqueue(member);
            }
            var merged = new SiteUses(phi, [], []);
            if (!TryCollectUses(phi.Value, 0, layout, maps, merged.Uses, merged.Derived, out why))
            {
                why = $"is merged by a phi whose result {why}";
                return false;
            }
            if (merged.Uses.OfType<PhiUse>().Any(u => u.Offset != 0))
            {
                why = "is merged by a phi whose result is merged again at an offset";
                return false;
            }
            group.Phis.Add(merged);
            Enqueue(merged);
            if (group.Phis.Count > MaxGroupPhis)
            {
                why = $"is merged by more than {MaxGroupPhis} phis";
                return false;
            }
        }
        return true;
    }

    /// <summary>Phis one group may hold: a merge of a few tables, not a loop's induction.</summary>
    private const int MaxGroupPhis = 16;

    /// <summary>The key of a lookup/update/delete, or the value of an update: arguments the helper only reads.</summary>
    private static bool TryReadOnlyHelperArgument(LlvmInstruction call, LlvmValue pointer, Dictionary<string, Maps.MapDefinition> maps,
        out int argument, out int size)
    {
        argument = -1;
        size = 0;
        if (!HelperCalls.TryGetHelper(call, out var helper) || helper.Id is not (1 or 2 or 3))
            return false;
        for (var i = 1; i < call.ArgumentCount; i++)
            if (call.Argument(i) == pointer)
                argument = i;
        if (argument < 0 || MapNameOf(call.Argument(0)) is not { } name || !maps.TryGetValue(name, out var map))
            return false;
        size = argument == 2 ? map.ValueSize : map.KeySize;
        return size > 0;
    }

    private static string? MapNameOf(LlvmValue mapArgument)
    {
        var value = mapArgument;
        while (value.IsConstantExpression && value.ConstantOpcode == LlvmOpcode.BitCast)
            value = value.Operand(0);
        return value.IsGlobalVariable ? value.Name : null;
    }

    internal static bool TryConstantOffset(LlvmInstruction gep, LlvmDataLayout layout, out long offset)
    {
        offset = 0;
        var type = gep.GepSourceElementType;
        for (var i = 1; i < gep.OperandCount; i++)
        {
            var index = gep.Operand(i);
            if (!index.IsConstantInt)
                return false;
            var n = index.SExtValue;
            if (i == 1)
            {
                offset += n * layout.SizeOf(type);
                continue;
            }
            switch (type.Kind)
            {
                case LlvmTypeKind.Struct:
                    offset += layout.OffsetOf(type, (int)n);
                    type = type.StructElement((int)n);
                    break;
                case LlvmTypeKind.Array:
                    type = type.ElementType;
                    offset += n * layout.SizeOf(type);
                    break;
                default:
                    return false;
            }
        }
        return true;
    }

    public static List<int> UsedWords(IEnumerable<ResultUse> uses)
    {
        var words = new SortedSet<int>();
        foreach (var use in uses)
        {
            switch (use)
            {
                case LoadUse load:
                    words.Add((int)(load.Offset / 8));
                    break;
                case HelperArgumentUse argument:
                    for (var b = argument.Offset; b < argument.Offset + argument.Size; b += 8)
                        words.Add((int)(b / 8));
                    break;
                case MemcpySourceUse copy:
                    for (var w = copy.Offset / 8; w <= (copy.Offset + copy.Size - 1) / 8; w++)
                        words.Add((int)w);
                    break;
            }
        }
        return [.. words];
    }
}
