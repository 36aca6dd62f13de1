using System.Buffers.Binary;
using System.Text;
using ELFSharp.ELF;

namespace Kecleon.Runtime.Tests.Contracts;

/// <summary>
/// The BTF of a BPF ELF object (its <c>.BTF</c> section), read far enough to check a C# layout against the C it
/// describes: structs and their members, arrays, and the <c>SEC(".maps")</c> definitions. No kernel involved.
/// </summary>
internal sealed class Btf
{
    private const int KindInt = 1, KindPtr = 2, KindArray = 3, KindStruct = 4, KindUnion = 5, KindEnum = 6, KindTypedef = 8,
        KindVolatile = 9, KindConst = 10, KindRestrict = 11, KindFunc = 12, KindFuncProto = 13, KindVar = 14, KindDatasec = 15,
        KindDeclTag = 17, KindTypeTag = 18, KindEnum64 = 19;

    /// <summary>One type: its kind, name, size or referenced type, and what follows it (members, array, sections).</summary>
    private sealed record Type(int Kind, string Name, uint SizeOrType, bool KindFlag, IReadOnlyList<(string Name, uint Type, uint Offset)> Members);

    private readonly List<Type> _types = [new(0, "", 0, false, [])]; // id 0 is void

    public sealed record Member(string Name, int Offset, int Size, int TypeId);
    public sealed record Struct(string Name, int Size, IReadOnlyList<Member> Members)
    {
        public Member this[string name] => Members.SingleOrDefault(m => m.Name == name)
            ?? throw new KeyNotFoundException($"struct {Name} has no member {name}");
    }
    public sealed record Array(int ElementTypeId, int ElementSize, int Length);
    public sealed record MapDefinition(string Name, int Type, int MaxEntries, int KeyTypeId, int ValueTypeId);

    private Btf(byte[] section)
    {
        if (BinaryPrimitives.ReadUInt16LittleEndian(section) != 0xEB9F)
            throw new InvalidDataException("not little-endian BTF");
        var headerLength = (int)BinaryPrimitives.ReadUInt32LittleEndian(section[4..]);
        var typeOffset = headerLength + (int)BinaryPrimitives.ReadUInt32LittleEndian(section[8..]);
        var typeLength = (int)BinaryPrimitives.ReadUInt32LittleEndian(section[12..]);
        var stringOffset = headerLength + (int)BinaryPrimitives.ReadUInt32LittleEndian(section[16..]);
        var stringLength = (int)BinaryPrimitives.ReadUInt32LittleEndian(section[20..]);
        string Name(uint offset)
        {
            var rest = section.AsSpan(stringOffset + (int)offset, stringLength - (int)offset);
            return Encoding.ASCII.GetString(rest[..rest.IndexOf((byte)0)]);
        }
        uint U32(int at) => BinaryPrimitives.ReadUInt32LittleEndian(section.AsSpan(typeOffset + at));
        for (var at = 0; at < typeLength;)
        {
            var info = U32(at + 4);
            var (kind, vlen, kindFlag) = ((int)(info >> 24) & 0x1f, (int)(info & 0xffff), (info >> 31) != 0);
            var type = new Type(kind, Name(U32(at)), U32(at + 8), kindFlag, []);
            at += 12;
            var members = new List<(string, uint, uint)>();
            switch (kind)
            {
                case KindInt or KindVar or KindDeclTag:
                    at += 4;
                    break;
                case KindArray:
                    members.Add(("", U32(at), U32(at + 8))); // element type, length
                    at += 12;
                    break;
                case KindStruct or KindUnion:
                    for (var i = 0; i < vlen; i++, at += 12)
                        members.Add((Name(U32(at)), U32(at + 4), U32(at + 8)));
                    break;
                case KindEnum or KindFuncProto:
                    at += 8 * vlen;
                    break;
                case KindEnum64:
                    at += 12 * vlen;
                    break;
                case KindDatasec:
                    for (var i = 0; i < vlen; i++, at += 12)
                        members.Add(("", U32(at), U32(at + 4))); // variable, offset
                    break;
            }
            _types.Add(type with { Members = members });
        }
    }

    /// <summary>The BTF of <paramref name="elf"/>, a BPF object.</summary>
    public static Btf Of(byte[] elf)
    {
        using var reader = ELFReader.Load(new MemoryStream(elf), shouldOwnStream: true);
        var section = reader.Sections.FirstOrDefault(s => s.Name == ".BTF")
            ?? throw new InvalidDataException("the object has no .BTF section (compiled without -g?)");
        return new Btf(section.GetContents());
    }

    private Type Resolve(int id)
    {
        var type = _types[id];
        while (type.Kind is KindTypedef or KindVolatile or KindConst or KindRestrict or KindTypeTag)
            type = _types[(int)type.SizeOrType];
        return type;
    }

    private int ResolveId(int id)
    {
        while (_types[id].Kind is KindTypedef or KindVolatile or KindConst or KindRestrict or KindTypeTag)
            id = (int)_types[id].SizeOrType;
        return id;
    }

    public int SizeOf(int id)
    {
        var type = Resolve(id);
        return type.Kind switch
        {
            KindInt or KindStruct or KindUnion or KindEnum or KindEnum64 => (int)type.SizeOrType,
            KindPtr => 8,
            KindArray => SizeOf((int)type.Members[0].Type) * (int)type.Members[0].Offset,
            _ => throw new InvalidDataException($"type {id} ({type.Kind}) has no size"),
        };
    }

    /// <summary>The struct called <paramref name="name"/>, with its members' byte offsets and sizes.</summary>
    public Struct StructNamed(string name)
    {
        var id = _types.FindIndex(t => t.Kind == KindStruct && t.Name == name);
        return id < 0 ? throw new KeyNotFoundException($"no struct {name} in the BTF") : StructAt(id);
    }

    public Struct StructAt(int id)
    {
        id = ResolveId(id);
        var type = _types[id];
        if (type.Kind != KindStruct)
            throw new InvalidDataException($"type {id} is not a struct");
        return new Struct(type.Name, (int)type.SizeOrType, type.Members.Select(m =>
        {
            if (m.Offset % 8 != 0 || (type.KindFlag && m.Offset >> 24 != 0))
                throw new InvalidDataException($"{type.Name}.{m.Name} is a bit field");
            return new Member(m.Name, (int)(m.Offset & 0xffffff) / 8, SizeOf((int)m.Type), (int)m.Type);
        }).ToList());
    }

    /// <summary>The array that type <paramref name="id"/> is (through typedefs).</summary>
    public Array ArrayAt(int id)
    {
        var type = Resolve(id);
        if (type.Kind != KindArray)
            throw new InvalidDataException($"type {id} is not an array");
        var element = (int)type.Members[0].Type;
        return new Array(ResolveId(element), SizeOf(element), (int)type.Members[0].Offset);
    }

    public string NameOf(int id) => Resolve(id).Name;

    /// <summary>The functions the object defines (programs and subprograms).</summary>
    public IEnumerable<string> Functions => _types.Where(t => t.Kind == KindFunc).Select(t => t.Name);

    /// <summary>The <c>SEC(".maps")</c> definition of <paramref name="name"/>: <c>__uint(x, n)</c> is a pointer to an
    /// array of n, <c>__type(x, t)</c> a pointer to t (0 for a key or value it does not declare: a ring buffer's).</summary>
    public MapDefinition Map(string name)
    {
        var maps = _types.SingleOrDefault(t => t.Kind == KindDatasec && t.Name == ".maps")
            ?? throw new KeyNotFoundException("no .maps section in the BTF");
        var variable = maps.Members.Select(m => _types[(int)m.Type]).SingleOrDefault(v => v.Name == name)
            ?? throw new KeyNotFoundException($"no map {name} in .maps");
        var definition = StructAt((int)variable.SizeOrType);
        int Pointee(string member) => ResolveId((int)Resolve(definition[member].TypeId).SizeOrType);
        int Number(string member) => definition.Members.Any(m => m.Name == member) ? ArrayAt(Pointee(member)).Length : 0;
        return new MapDefinition(name, Number("type"), Number("max_entries"),
            definition.Members.Any(m => m.Name == "key") ? Pointee("key") : 0, definition.Members.Any(m => m.Name == "value") ? Pointee("value") : 0);
    }
}
