using Kecleon.Cfg;
using Kecleon.Llvm;

namespace Kecleon.Access;

/// <summary>Where a map key comes from.</summary>
public enum KeyOriginKind
{
    /// <summary>Every byte is a constant known at compile time.</summary>
    Constant,
    /// <summary>A stack slot; <see cref="KeyOrigin.Fields"/> says what was stored in it.</summary>
    Stack,
    /// <summary>The key points straight into the packet.</summary>
    Packet,
    /// <summary>The key is (part of) a value another lookup returned.</summary>
    MapValue,
    /// <summary>A global variable (<c>.rodata</c>, <c>.data</c>, <c>.bss</c>).</summary>
    Global,
    Unknown,
}

/// <summary>Bytes <c>[Offset, Offset + Size)</c> of a key and what they hold: a constant, a header field such as
/// <c>ip.daddr</c>, a context field, or <c>unknown</c>. Alternatives from different paths are joined by <c> | </c>.</summary>
public sealed record KeyField(int Offset, int Size, string Source, bool IsConstant);

/// <summary>The origin of a lookup, update or delete key.</summary>
public sealed record KeyOrigin(KeyOriginKind Kind, string Description, IReadOnlyList<KeyField> Fields)
{
    /// <summary>For a <see cref="KeyOriginKind.Constant"/> key built on the stack from constant integers: its bytes
    /// (little-endian, as BPF stores them); null when not known byte for byte.</summary>
    public byte[]? Bytes { get; init; }

    public static readonly KeyOrigin Unknown = new(KeyOriginKind.Unknown, "unknown", []);

    public string KindName => Kind switch
    {
        KeyOriginKind.MapValue => "map-value",
        _ => Kind.ToString().ToLowerInvariant(),
    };

    /// <summary><c>stack {+0: 32, +4: ip.daddr}</c>, <c>constant 0</c>, <c>packet ip.saddr</c>, <c>map-value routes</c>.</summary>
    public override string ToString() => Kind == KeyOriginKind.Unknown ? "unknown" : $"{KindName} {Description}";
}

/// <summary>
/// Finds a key's origin. For a stack slot it replays the writes into the slot that reach the call: those on every path
/// (they dominate the call; the latest wins) and, as alternatives, later ones on some paths only.
/// </summary>
internal sealed class KeyOrigins(ValueOrigins values, Func<LlvmFunction, ControlFlowGraph> cfgOf, Func<LlvmInstruction, string> lookupMaps)
{
    public KeyOrigin Find(LlvmInstruction call, LlvmValue key, int keySize)
    {
        var origin = values.Resolve(key);
        switch (origin.Base)
        {
            case PointerBase.Stack when origin.Offset is { } offset:
                return FromStack(call, origin.Root.AsInstruction(), offset, keySize);
            case PointerBase.Packet:
                return new KeyOrigin(KeyOriginKind.Packet, values.DescribeMemory(origin, keySize, lookupMaps), []);
            case PointerBase.MapValue:
                return new KeyOrigin(KeyOriginKind.MapValue, values.DescribeMemory(origin, keySize, lookupMaps)[("value of ".Length)..], []);
            case PointerBase.Global:
                var global = origin.Root.AsGlobal();
                var constant = global.IsConstant && !global.Initializer.IsNull;
                return new KeyOrigin(constant ? KeyOriginKind.Constant : KeyOriginKind.Global,
                    values.DescribeMemory(origin, keySize, lookupMaps), []);
            default:
                return KeyOrigin.Unknown;
        }
    }

    /// <summary>One write into the slot; <see cref="Value"/> is the constant written, byte for byte (a store of an
    /// integer: its value; a memset: the fill byte repeated), when known.</summary>
    private sealed record SlotWrite(LlvmInstruction At, long Offset, long Size, string Source, bool IsConstant, ulong? Value = null, bool Fill = false)
    {
        public byte ByteAt(long position) => Fill ? (byte)Value!.Value : position < 8 ? (byte)(Value!.Value >> (int)(8 * position)) : (byte)0;
    }

    private KeyOrigin FromStack(LlvmInstruction call, LlvmInstruction slot, long keyOffset, int keySize)
    {
        var size = keySize > 0 ? keySize : (int)(values.Layout.SizeOf(slot.AllocatedType) - keyOffset);
        if (size <= 0 || keyOffset < 0)
            return KeyOrigin.Unknown;
        var cfg = cfgOf(call.Block.Parent);
        var (writes, opaque) = WritesInto(slot);
        var reaching = writes.Where(w => w.At != call && cfg.Dominates(w.At, call)).ToList();
        // Writes on every path to the call are ordered by dominance; later ones overwrite earlier ones.
        reaching.Sort((a, b) => a.At == b.At ? 0 : cfg.Dominates(a.At, b.At) ? -1 : 1);
        var optional = writes.Where(w => w.At != call && !reaching.Contains(w) && cfg.MayRunBefore(w.At, call)).ToList();

        var bytes = new SlotWrite?[size];
        foreach (var write in reaching)
            for (var b = Math.Max(0, write.Offset - keyOffset); b < Math.Min(size, write.Offset + write.Size - keyOffset); b++)
                bytes[b] = write;
        var fields = new List<KeyField>();
        for (var start = 0; start < size;)
        {
            var write = bytes[start];
            var end = start + 1;
            while (end < size && bytes[end] == write)
                end++;
            var alternatives = optional
                .Where(o => o.Offset - keyOffset < end && o.Offset + o.Size - keyOffset > start
                            && (write is null || cfg.Dominates(write.At, o.At)))
                .Select(o => o.Source).ToList();
            var source = write is null ? "unset" : write.Source;
            var isConstant = write is { IsConstant: true } && alternatives.Count == 0;
            if (alternatives.Count > 0)
                source = string.Join(" | ", alternatives.Prepend(source).Distinct());
            if (write is not null && (write.Offset - keyOffset != start || write.Size != end - start) && write.IsConstant)
                source = write.Source == "0" ? "0" : $"{source}[{start - (write.Offset - keyOffset)}..]";
            fields.Add(new KeyField(start, end - start, source, isConstant));
            start = end;
        }
        if (opaque)
            fields = fields.Select(f => f with { Source = f.Source + " (slot also written where we cannot see)", IsConstant = false }).ToList();

        var allConstant = fields.Count > 0 && fields.All(f => f.IsConstant);
        byte[]? keyBytes = null;
        if (allConstant && !opaque && bytes.All(b => b is { Value: not null }))
        {
            keyBytes = new byte[size];
            for (var b = 0; b < size; b++)
                keyBytes[b] = bytes[b]!.ByteAt(b + keyOffset - bytes[b]!.Offset);
        }
        var text = fields.Count == 1 && fields[0].Size == size
            ? fields[0].Source
            : "{" + string.Join(", ", fields.Select(f => $"+{f.Offset}: {f.Source}")) + "}";
        return new KeyOrigin(allConstant ? KeyOriginKind.Constant : KeyOriginKind.Stack, text, fields) { Bytes = keyBytes };
    }

    /// <summary>The writes into a stack slot at known offsets, and whether it is also written in ways we cannot place.</summary>
    private (List<SlotWrite> Writes, bool Opaque) WritesInto(LlvmInstruction slot)
    {
        var writes = new List<SlotWrite>();
        var opaque = false;
        var work = new Stack<(LlvmValue Pointer, long? Offset)>();
        work.Push((slot.Value, 0));
        var seen = new HashSet<LlvmValue>();
        while (work.Count > 0)
        {
            var (pointer, offset) = work.Pop();
            if (!seen.Add(pointer))
                continue;
            foreach (var user in pointer.Users.Distinct())
            {
                if (!user.IsInstruction)
                    continue;
                var instruction = user.AsInstruction();
                switch (instruction.Opcode)
                {
                    case LlvmOpcode.GetElementPtr or LlvmOpcode.BitCast:
                        var derived = values.Resolve(user);
                        work.Push((user, derived.Base == PointerBase.Stack && derived.Root == slot.Value ? derived.Offset : null));
                        break;
                    case LlvmOpcode.Store when instruction.Operand(1) == pointer:
                        if (offset is not { } at)
                        {
                            opaque = true;
                            break;
                        }
                        var value = instruction.Operand(0);
                        var storeSize = values.Layout.StoreSizeOf(value.Type);
                        ulong? constant = value.IsConstantInt && storeSize <= 8 ? value.ZExtValue : value.IsNullValue ? 0 : null;
                        writes.Add(new SlotWrite(instruction, at, storeSize,
                            values.Describe(value, lookupMaps), value.IsConstantInt || value.IsNullValue, constant));
                        break;
                    case LlvmOpcode.Call when instruction.CalledValue is { IsFunction: true } f && f.Name.StartsWith("llvm.", StringComparison.Ordinal):
                        if (f.Name.StartsWith("llvm.lifetime", StringComparison.Ordinal) || f.Name.StartsWith("llvm.dbg", StringComparison.Ordinal))
                            break;
                        var length = instruction.Argument(2);
                        var isDestination = instruction.Argument(0) == pointer;
                        if (!isDestination)
                            break; // read as a memcpy source
                        if (offset is not { } start || !length.IsConstantInt)
                        {
                            opaque = true;
                            break;
                        }
                        if (f.Name.StartsWith("llvm.memset", StringComparison.Ordinal))
                        {
                            var fill = instruction.Argument(1);
                            writes.Add(new SlotWrite(instruction, start, (long)length.ZExtValue,
                                fill.IsConstantInt ? values.Describe(fill, lookupMaps) : "computed", fill.IsConstantInt,
                                fill.IsConstantInt ? fill.ZExtValue : null, Fill: true));
                        }
                        else if (f.Name.StartsWith("llvm.memcpy", StringComparison.Ordinal) || f.Name.StartsWith("llvm.memmove", StringComparison.Ordinal))
                        {
                            var source = values.Resolve(instruction.Argument(1));
                            writes.Add(new SlotWrite(instruction, start, (long)length.ZExtValue,
                                values.DescribeMemory(source, (long)length.ZExtValue, lookupMaps), false));
                        }
                        else
                        {
                            opaque = true;
                        }
                        break;
                    case LlvmOpcode.Call:
                    {
                        // A helper reading the key (lookup, update, delete) does not change it; one that writes into it
                        // (bpf_probe_read_kernel) is a write of the slot from there on; anything else might do anything.
                        if (!Helpers.HelperCalls.TryGetHelper(instruction, out var helper) || !helper.IsModelled)
                        {
                            opaque = true;
                            break;
                        }
                        foreach (var i in Enumerable.Range(0, instruction.ArgumentCount).Where(i => instruction.Argument(i) == pointer))
                        {
                            var effect = helper.ArgumentEffect(i);
                            if (effect == Helpers.PointerEffect.Writes && offset is { } from)
                                writes.Add(new SlotWrite(instruction, from, values.Layout.SizeOf(slot.AllocatedType) - from,
                                    $"{helper.Name} output", false));
                            else if (effect != Helpers.PointerEffect.Reads)
                                opaque = true;
                        }
                        break;
                    }
                    case LlvmOpcode.Load or LlvmOpcode.ICmp:
                        break;
                    case LlvmOpcode.Store:
                        opaque = true; // the slot's address escapes to memory
                        break;
                    default:
                        opaque = true;
                        break;
                }
            }
        }
        return (writes, opaque);
    }
}
