using Kecleon.Helpers;
using Kecleon.Llvm;

namespace Kecleon.Access;

/// <summary>What a pointer points into.</summary>
internal enum PointerBase { Unknown, Stack, Packet, Context, MapValue, Global, Argument }

/// <summary>
/// A pointer resolved to its base and byte offset. <see cref="Offset"/> is null when an index is not constant.
/// <see cref="Struct"/>/<see cref="StructOffset"/> record the last struct a GEP stepped into, which names a header field
/// even when the header's position in the packet is variable (IPv4 after a VLAN tag, TCP after IP options).
/// </summary>
internal readonly record struct PointerOrigin(PointerBase Base, LlvmValue Root, long? Offset, string? Struct, long StructOffset);

/// <summary>Resolves pointers and describes values in the words of the program: header fields, context fields,
/// constants, map values. Holds the module's data layout; otherwise stateless.</summary>
internal sealed class ValueOrigins(LlvmDataLayout layout)
{
    private const int MaxDepth = 4;

    public LlvmDataLayout Layout => layout;

    public PointerOrigin Resolve(LlvmValue pointer)
    {
        long? offset = 0;
        string? structName = null;
        long structOffset = 0;
        for (var steps = 0; steps < 64; steps++)
        {
            if (IsGep(pointer))
            {
                var (step, hint, hintOffset) = GepOffset(pointer);
                if (structName is null && hint is not null)
                    (structName, structOffset) = (hint, hintOffset + (offset ?? 0));
                offset = offset is { } o && step is { } s ? o + s : null;
                pointer = pointer.Operand(0);
                continue;
            }
            if (IsCast(pointer))
            {
                pointer = pointer.Operand(0);
                continue;
            }
            if (pointer.IsInstruction)
            {
                var instruction = pointer.AsInstruction();
                switch (instruction.Opcode)
                {
                    case LlvmOpcode.Alloca:
                        return new PointerOrigin(PointerBase.Stack, pointer, offset, structName, structOffset);
                    case LlvmOpcode.IntToPtr:
                        return FromInteger(instruction.Operand(0), offset, structName, structOffset);
                    case LlvmOpcode.Phi when steps < 32 && PacketPhi(instruction) is { } root:
                        // A header after an optional one (IPv4 or ARP after a VLAN tag): in the packet, at an offset
                        // that depends on the path.
                        // Without a struct, the offset from the merged pointer stands for one (Struct "": unnamed).
                        return structName is null && offset is { } fromMerge
                            ? new PointerOrigin(PointerBase.Packet, root, null, "", fromMerge)
                            : new PointerOrigin(PointerBase.Packet, root, null, structName, structOffset);
                    case LlvmOpcode.Call when HelperCalls.TryGetHelper(instruction, out var helper) && helper.MapEffect == MapEffect.Lookup:
                        return new PointerOrigin(PointerBase.MapValue, pointer, offset, structName, structOffset);
                    case LlvmOpcode.Call when instruction.CalledValue is { IsFunction: true } f && PointerUses.IsPassThrough(f.Name):
                        var (step, hint, hintOffset) = PreserveAccessOffset(instruction);
                        if (structName is null && hint is not null)
                            (structName, structOffset) = (hint, hintOffset + (offset ?? 0));
                        offset = offset is { } o && step is { } s ? o + s : null;
                        pointer = instruction.Argument(f.Name.StartsWith("llvm.bpf.passthrough", StringComparison.Ordinal) ? 1 : 0);
                        continue;
                }
                return new PointerOrigin(PointerBase.Unknown, pointer, offset, structName, structOffset);
            }
            if (pointer.IsGlobalVariable)
                return new PointerOrigin(PointerBase.Global, pointer, offset, structName, structOffset);
            if (pointer.IsArgument)
            {
                var context = ContextStruct(pointer);
                return new PointerOrigin(context is null ? PointerBase.Argument : PointerBase.Context, pointer, offset,
                    context ?? structName, context is null ? structOffset : offset ?? 0);
            }
            break;
        }
        return new PointerOrigin(PointerBase.Unknown, pointer, offset, structName, structOffset);
    }

    /// <summary>The packet's start when every value a phi merges points into the packet (phis of phis not followed).</summary>
    private LlvmValue? PacketPhi(LlvmInstruction phi)
    {
        LlvmValue? root = null;
        for (var i = 0; i < phi.IncomingCount; i++)
        {
            var incoming = phi.Incoming(i).Value;
            if (incoming.IsInstruction && incoming.AsInstruction().Opcode == LlvmOpcode.Phi)
                return null;
            var origin = Resolve(incoming);
            if (origin.Base != PointerBase.Packet)
                return null;
            root ??= origin.Root;
        }
        return root;
    }

    /// <summary><c>inttoptr (zext (load ctx-&gt;data)) + k</c> is the packet at offset k.</summary>
    private PointerOrigin FromInteger(LlvmValue value, long? offset, string? structName, long structOffset)
    {
        for (var steps = 0; steps < 16; steps++)
        {
            if (!value.IsInstruction)
                break;
            var instruction = value.AsInstruction();
            switch (instruction.Opcode)
            {
                case LlvmOpcode.ZExt or LlvmOpcode.SExt or LlvmOpcode.Trunc or LlvmOpcode.Freeze:
                    value = instruction.Operand(0);
                    continue;
                case LlvmOpcode.Add when instruction.Operand(1).IsConstantInt:
                    offset += instruction.Operand(1).SExtValue;
                    value = instruction.Operand(0);
                    continue;
                case LlvmOpcode.Add:
                    offset = null;
                    value = instruction.Operand(0);
                    continue;
                case LlvmOpcode.Load:
                    var source = Resolve(instruction.Operand(0));
                    if (source.Base == PointerBase.Context && source.Struct is { } context && source.Offset is { } field
                        && HeaderFields.IsPacketStart(context, field))
                        return new PointerOrigin(PointerBase.Packet, value, offset, structName, structOffset);
                    break;
            }
            break;
        }
        return new PointerOrigin(PointerBase.Unknown, value, offset, structName, structOffset);
    }

    private static string? ContextStruct(LlvmValue argument)
    {
        var type = argument.Type;
        if (type.Kind != LlvmTypeKind.Pointer)
            return null;
        var pointee = type.ElementType;
        if (pointee.Kind != LlvmTypeKind.Struct)
            return null;
        var name = HeaderFields.CName(pointee.StructName);
        return HeaderFields.IsContext(name) ? name : null;
    }

    private static bool IsGep(LlvmValue value) =>
        value.IsInstruction ? value.AsInstruction().Opcode == LlvmOpcode.GetElementPtr
            : value.IsConstantExpression && value.ConstantOpcode == LlvmOpcode.GetElementPtr;

    private static bool IsCast(LlvmValue value)
    {
        var opcode = value.IsInstruction ? value.AsInstruction().Opcode
            : value.IsConstantExpression ? value.ConstantOpcode : LlvmOpcode.Unreachable;
        return opcode is LlvmOpcode.BitCast or LlvmOpcode.AddrSpaceCast or LlvmOpcode.Freeze;
    }

    /// <summary>The byte offset a GEP adds, and the last struct it steps into with the offset inside that struct.</summary>
    private (long? Offset, string? Struct, long StructOffset) GepOffset(LlvmValue gep)
    {
        var type = new LlvmInstruction(gep.Raw).GepSourceElementType;
        long? offset = 0;
        string? structName = null;
        // Offset inside the last struct stepped into; known even when an earlier array index is not.
        long? withinStruct = null;
        // A field of element 0 names a header; LLVM also writes an address past the struct as a field of element n (or
        // as an index past a field's array): eth[1].h_dest[24] is 24 bytes into what follows the Ethernet header (IPv6's
        // daddr), not a field of any ethhdr. Such an address keeps its offset and loses the struct's name.
        var pastTheStruct = false;
        var count = gep.OperandCount;
        for (var i = 1; i < count; i++)
        {
            var index = gep.Operand(i);
            if (i == 1)
            {
                offset = index.IsConstantInt ? index.SExtValue * layout.SizeOf(type) : null;
                pastTheStruct = !index.IsConstantInt || index.SExtValue != 0;
                continue;
            }
            switch (type.Kind)
            {
                case LlvmTypeKind.Struct:
                    if (!index.IsConstantInt || index.ZExtValue >= (ulong)type.StructElementCount)
                        return (null, null, 0);
                    var element = (int)index.ZExtValue;
                    var field = layout.OffsetOf(type, element);
                    structName = type.StructName.Length > 0 ? HeaderFields.CName(type.StructName) : null;
                    withinStruct = field;
                    offset += field;
                    type = type.StructElement(element);
                    break;
                case LlvmTypeKind.Array or LlvmTypeKind.Vector:
                    if (type.Kind == LlvmTypeKind.Array && (!index.IsConstantInt || index.SExtValue < 0 || index.SExtValue >= type.ArrayLength))
                        pastTheStruct = true;
                    type = type.ElementType;
                    long? step = index.IsConstantInt ? index.SExtValue * layout.SizeOf(type) : null;
                    offset = step is { } s1 ? offset + s1 : null;
                    withinStruct = step is { } s2 ? withinStruct + s2 : withinStruct;
                    break;
                default:
                    return (null, pastTheStruct ? null : structName, withinStruct ?? 0);
            }
        }
        return pastTheStruct ? (offset, null, 0) : (offset, structName, withinStruct ?? 0);
    }

    /// <summary>CO-RE: <c>llvm.preserve.struct.access.index(base, gep_index, di_index)</c> is a field address whose
    /// offset libbpf may move at load time; the compile-time offset still names the field.</summary>
    private (long? Offset, string? Struct, long StructOffset) PreserveAccessOffset(LlvmInstruction call)
    {
        var name = call.CalledValue.Name;
        if (!name.StartsWith("llvm.preserve.struct.access.index", StringComparison.Ordinal))
            return name.StartsWith("llvm.preserve.union.access.index", StringComparison.Ordinal)
                   || name.StartsWith("llvm.bpf.passthrough", StringComparison.Ordinal) ? (0, null, 0) : (null, null, 0);
        var baseType = call.Argument(0).Type;
        if (baseType.Kind != LlvmTypeKind.Pointer || baseType.ElementType.Kind != LlvmTypeKind.Struct || !call.Argument(1).IsConstantInt
            || call.Argument(1).ZExtValue >= (ulong)baseType.ElementType.StructElementCount)
            return (null, null, 0);
        var structType = baseType.ElementType;
        var offset = layout.OffsetOf(structType, (int)call.Argument(1).ZExtValue);
        return (offset, HeaderFields.CName(structType.StructName), offset);
    }

    /// <summary>Names a value: a constant, a header or context field it was loaded from, a map value, or what it was
    /// computed from. <paramref name="lookupMaps"/> names the maps a lookup call can return a value of.</summary>
    public string Describe(LlvmValue value, Func<LlvmInstruction, string> lookupMaps, int depth = 0)
    {
        if (value.IsConstantInt)
            return Constant(value);
        if (value.IsConstant)
            return value.IsNullValue ? "0" : value.IsGlobalVariable ? $"&{value.Name}" : "constant";
        if (value.IsArgument)
            return "argument";
        if (!value.IsInstruction || depth > MaxDepth)
            return "computed";
        var instruction = value.AsInstruction();
        switch (instruction.Opcode)
        {
            case LlvmOpcode.ZExt or LlvmOpcode.SExt or LlvmOpcode.Trunc or LlvmOpcode.BitCast or LlvmOpcode.Freeze:
                return Describe(instruction.Operand(0), lookupMaps, depth + 1);
            case LlvmOpcode.Load:
                return DescribeLoad(instruction, lookupMaps);
            case LlvmOpcode.And or LlvmOpcode.Or or LlvmOpcode.Xor or LlvmOpcode.Add or LlvmOpcode.Sub or LlvmOpcode.Mul
                or LlvmOpcode.Shl or LlvmOpcode.LShr or LlvmOpcode.AShr or LlvmOpcode.URem or LlvmOpcode.UDiv:
                return $"({Describe(instruction.Operand(0), lookupMaps, depth + 1)} {Operator(instruction.Opcode)} " +
                       $"{Describe(instruction.Operand(1), lookupMaps, depth + 1)})";
            case LlvmOpcode.Phi:
            {
                var options = Enumerable.Range(0, instruction.IncomingCount)
                    .Select(i => Describe(instruction.Incoming(i).Value, lookupMaps, depth + 1)).Distinct().ToList();
                return options.Count is > 0 and <= 4 ? string.Join(" | ", options) : "computed";
            }
            case LlvmOpcode.Select:
            {
                var options = new[] { instruction.Operand(1), instruction.Operand(2) }.Select(v => Describe(v, lookupMaps, depth + 1)).Distinct();
                return string.Join(" | ", options);
            }
            case LlvmOpcode.Call when HelperCalls.TryGetHelper(instruction, out var helper):
                return $"{helper.Name}()";
            case LlvmOpcode.Call when instruction.CalledValue is { IsFunction: true } f && f.Name.StartsWith("llvm.bswap", StringComparison.Ordinal):
                return $"bswap({Describe(instruction.Argument(0), lookupMaps, depth + 1)})";
            default:
                return "computed";
        }
    }

    private string DescribeLoad(LlvmInstruction load, Func<LlvmInstruction, string> lookupMaps)
    {
        var size = layout.StoreSizeOf(load.Type);
        return DescribeMemory(Resolve(load.Operand(0)), size, lookupMaps);
    }

    /// <summary>Names <paramref name="size"/> bytes at a resolved pointer.</summary>
    public string DescribeMemory(PointerOrigin origin, long size, Func<LlvmInstruction, string> lookupMaps)
    {
        switch (origin.Base)
        {
            case PointerBase.Packet:
                if (origin.Struct is { } header && HeaderFields.InStruct(header, origin.StructOffset, size) is { } field)
                    return field;
                // A struct of the program's own at a path-dependent offset, in a function that parses one network header
                // only: that header, field by field (an ARP body declared with its addresses).
                if (origin is { Struct: not null, Offset: null } && HeaderFields.InNetworkHeader(NetworkLayerOf(origin.Root), origin.StructOffset, size) is { } own)
                    return own;
                return origin.Offset is { } offset ? HeaderFields.InPacket(offset, size, NetworkLayerOf(origin.Root)) : "packet bytes";
            case PointerBase.Context:
                return origin.Offset is { } o && HeaderFields.InContext(origin.Struct ?? "", o, size) is { } name ? name : "ctx field";
            case PointerBase.MapValue:
                return $"value of {lookupMaps(origin.Root.AsInstruction())}" + (origin.Offset is > 0 ? $"+{origin.Offset}" : "");
            case PointerBase.Global:
                return origin.Root.Name + (origin.Offset is > 0 ? $"+{origin.Offset}" : "");
            case PointerBase.Stack:
                return "stack";
            default:
                // A struct pointer of unknown provenance still names a header field (a subprogram's iphdr argument).
                return origin.Struct is { } s && HeaderFields.InStruct(s, origin.StructOffset, size) is { } f ? f : "memory";
        }
    }

    private readonly Dictionary<nint, NetworkLayer> _networkLayers = [];

    /// <summary>
    /// Which network header the function that reads the packet at <paramref name="root"/> parses at a fixed offset: the
    /// one EtherType (IPv4, IPv6, ARP) its 16-bit compares and switches name, in network byte order. A function that
    /// names several, or none, is read as IPv4 (<see cref="NetworkLayer.Unknown"/>).
    /// </summary>
    private NetworkLayer NetworkLayerOf(LlvmValue root)
    {
        if (!root.IsInstruction)
            return NetworkLayer.Unknown;
        var function = root.AsInstruction().Block.Parent;
        if (_networkLayers.TryGetValue(function.Raw, out var known))
            return known;
        var named = new HashSet<NetworkLayer>();
        foreach (var block in function.Blocks)
            foreach (var instruction in block.Instructions)
            {
                // icmp (a, b), or switch (value, default, case, target, case, target, ...): the value is 16 bits wide.
                var constants = instruction.Opcode switch
                {
                    LlvmOpcode.ICmp when instruction.Operand(1).IsConstantInt && Is16Bit(instruction.Operand(0)) => [instruction.Operand(1)],
                    LlvmOpcode.ICmp when instruction.Operand(0).IsConstantInt && Is16Bit(instruction.Operand(1)) => [instruction.Operand(0)],
                    LlvmOpcode.Switch when Is16Bit(instruction.Operand(0)) =>
                        Enumerable.Range(1, instruction.OperandCount / 2 - 1).Select(c => instruction.Operand(2 * c)).Where(v => v.IsConstantInt).ToList(),
                    _ => (List<LlvmValue>)[],
                };
                foreach (var constant in constants)
                    switch (constant.ZExtValue & 0xffff)
                    {
                        case 0x0008: named.Add(NetworkLayer.Ipv4); break;
                        case 0xdd86: named.Add(NetworkLayer.Ipv6); break;
                        case 0x0608: named.Add(NetworkLayer.Arp); break;
                    }
            }
        return _networkLayers[function.Raw] = named.Count == 1 ? named.Single() : NetworkLayer.Unknown;
    }

    /// <summary>A 16-bit value, or one widened from 16 bits (the EtherType compared as an int).</summary>
    private static bool Is16Bit(LlvmValue value) =>
        value.Type.IntWidth == 16 || value.IsInstruction && value.AsInstruction().Opcode is LlvmOpcode.ZExt or LlvmOpcode.SExt
            && value.AsInstruction().Operand(0).Type.IntWidth == 16;

    private static string Constant(LlvmValue value)
    {
        var width = value.Type.IntWidth;
        var bits = value.ZExtValue;
        if (width == 1)
            return bits == 0 ? "false" : "true";
        var signed = value.SExtValue;
        return signed is >= -1024 and <= 65535 ? signed.ToString(System.Globalization.CultureInfo.InvariantCulture) : $"0x{bits:x}";
    }

    private static string Operator(LlvmOpcode opcode) => opcode switch
    {
        LlvmOpcode.And => "&", LlvmOpcode.Or => "|", LlvmOpcode.Xor => "^", LlvmOpcode.Add => "+", LlvmOpcode.Sub => "-",
        LlvmOpcode.Mul => "*", LlvmOpcode.Shl => "<<", LlvmOpcode.LShr or LlvmOpcode.AShr => ">>", LlvmOpcode.URem => "%",
        _ => "/",
    };
}
