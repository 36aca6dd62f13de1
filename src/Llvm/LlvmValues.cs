using System.Runtime.InteropServices;
using Kecleon.Interop;

namespace Kecleon.Llvm;

// Non-owning views of things that live inside a module. They are valid while the module is.

/// <summary>Any LLVM value.</summary>
public readonly record struct LlvmValue(nint Raw)
{
    public bool IsNull => Raw == 0;
    public string Name => LlvmApi.ReadString(LlvmApi.LLVMGetValueName2(Raw, out var length), length);
    public LlvmType Type => new(LlvmApi.LLVMTypeOf(Raw));
    public bool IsConstant => LlvmApi.LLVMIsConstant(Raw) != 0;
    /// <summary>A constant whose bytes are all zero (<c>zeroinitializer</c>, <c>null</c>, <c>0</c>).</summary>
    public bool IsNullValue => LlvmApi.LLVMIsNull(Raw) != 0;
    public bool IsConstantInt => LlvmApi.LLVMIsAConstantInt(Raw) != 0;
    public bool IsFunction => LlvmApi.LLVMIsAFunction(Raw) != 0;
    public bool IsGlobalVariable => LlvmApi.LLVMIsAGlobalVariable(Raw) != 0;
    public bool IsInstruction => LlvmApi.LLVMIsAInstruction(Raw) != 0;
    public bool IsArgument => LlvmApi.LLVMIsAArgument(Raw) != 0;
    public bool IsConstantExpression => LlvmApi.LLVMIsAConstantExpr(Raw) != 0;
    public bool IsInlineAsm => LlvmApi.LLVMIsAInlineAsm(Raw) != 0;
    public bool IsBasicBlock => LlvmApi.LLVMValueIsBasicBlock(Raw) != 0;

    /// <summary>The opcode of a constant expression (a bitcast or GEP of a global, say).</summary>
    public LlvmOpcode ConstantOpcode => (LlvmOpcode)LlvmApi.LLVMGetConstOpcode(Raw);
    public ulong ZExtValue => LlvmApi.LLVMConstIntGetZExtValue(Raw);
    public long SExtValue => LlvmApi.LLVMConstIntGetSExtValue(Raw);
    public int OperandCount => LlvmApi.LLVMGetNumOperands(Raw);
    public LlvmValue Operand(int index) => new(LlvmApi.LLVMGetOperand(Raw, (uint)index));

    public IEnumerable<LlvmValue> Operands
    {
        get
        {
            var count = OperandCount;
            for (var i = 0; i < count; i++)
                yield return Operand(i);
        }
    }

    /// <summary>The values (instructions, constant expressions) that use this one.</summary>
    public IEnumerable<LlvmValue> Users
    {
        get
        {
            for (var use = LlvmApi.LLVMGetFirstUse(Raw); use != 0; use = LlvmApi.LLVMGetNextUse(use))
                yield return new LlvmValue(LlvmApi.LLVMGetUser(use));
        }
    }

    public LlvmInstruction AsInstruction() => new(Raw);
    public LlvmFunction AsFunction() => new(Raw);
    public LlvmGlobal AsGlobal() => new(Raw);
    public LlvmBasicBlock AsBasicBlock() => new(LlvmApi.LLVMValueAsBasicBlock(Raw));

    public void ReplaceAllUsesWith(LlvmValue replacement) => LlvmApi.LLVMReplaceAllUsesWith(Raw, replacement.Raw);

    public override string ToString() => Raw == 0 ? "<null>" : LlvmApi.TakeMessage(LlvmApi.LLVMPrintValueToString(Raw));
}

/// <summary>A function definition or declaration (helpers are declarations or inttoptr constants).</summary>
public readonly partial record struct LlvmFunction(nint Raw)
{
    public LlvmValue Value => new(Raw);
    public string Name => Value.Name;
    public bool IsDeclaration => LlvmApi.LLVMIsDeclaration(Raw) != 0;
    public string Section => Marshal.PtrToStringUTF8(LlvmApi.LLVMGetSection(Raw)) ?? "";
    public uint IntrinsicId => LlvmApi.LLVMGetIntrinsicID(Raw);
    public bool HasDebugInfo => LlvmApi.LLVMGetSubprogram(Raw) != 0;

    /// <summary>The source file the function is defined in (its <c>DISubprogram</c>'s file, joined to the compilation
    /// directory when relative), or null without debug info.</summary>
    public string? SourceFile
    {
        get
        {
            var subprogram = LlvmApi.LLVMGetSubprogram(Raw);
            var file = subprogram == 0 ? 0 : LlvmApi.LLVMDIScopeGetFile(subprogram);
            if (file == 0)
                return null;
            var name = Text(LlvmApi.LLVMDIFileGetFilename(file, out var length), length);
            var directory = Text(LlvmApi.LLVMDIFileGetDirectory(file, out var directoryLength), directoryLength);
            return name.Length == 0 ? null : Path.IsPathRooted(name) || directory.Length == 0 ? name : Path.Combine(directory, name);

            static string Text(nint text, uint length) => text == 0 || length == 0 ? "" : Marshal.PtrToStringUTF8(text, (int)length);
        }
    }
    public int ParameterCount => (int)LlvmApi.LLVMCountParams(Raw);
    public LlvmValue Parameter(int index) => new(LlvmApi.LLVMGetParam(Raw, (uint)index));
    public int BlockCount => (int)LlvmApi.LLVMCountBasicBlocks(Raw);
    public LlvmBasicBlock EntryBlock => new(LlvmApi.LLVMGetEntryBasicBlock(Raw));

    public IEnumerable<LlvmBasicBlock> Blocks
    {
        get
        {
            for (var b = LlvmApi.LLVMGetFirstBasicBlock(Raw); b != 0; b = LlvmApi.LLVMGetNextBasicBlock(b))
                yield return new LlvmBasicBlock(b);
        }
    }

    public LlvmBasicBlock AppendBlock(LlvmContext context, string name) =>
        new(LlvmApi.LLVMAppendBasicBlockInContext(context.Raw, Raw, name));

    public override string ToString() => Name;
}

/// <summary>A global variable: a BTF map definition in <c>.maps</c>, <c>.rodata</c>/<c>.data</c>/<c>.bss</c> data, ...</summary>
public readonly partial record struct LlvmGlobal(nint Raw)
{
    public LlvmValue Value => new(Raw);
    public string Name => Value.Name;
    public string Section => Marshal.PtrToStringUTF8(LlvmApi.LLVMGetSection(Raw)) ?? "";
    public bool IsDeclaration => LlvmApi.LLVMIsDeclaration(Raw) != 0;
    public bool IsConstant => LlvmApi.LLVMIsGlobalConstant(Raw) != 0;
    public LlvmType ValueType => new(LlvmApi.LLVMGlobalGetValueType(Raw));
    public LlvmValue Initializer => new(LlvmApi.LLVMGetInitializer(Raw));
    public override string ToString() => Name;
}

/// <summary>A basic block.</summary>
public readonly partial record struct LlvmBasicBlock(nint Raw)
{
    public LlvmValue Value => new(LlvmApi.LLVMBasicBlockAsValue(Raw));
    public string Name => Marshal.PtrToStringUTF8(LlvmApi.LLVMGetBasicBlockName(Raw)) ?? "";
    public LlvmFunction Parent => new(LlvmApi.LLVMGetBasicBlockParent(Raw));
    public LlvmInstruction? Terminator => LlvmApi.LLVMGetBasicBlockTerminator(Raw) is var t and not 0 ? new LlvmInstruction(t) : null;

    public IEnumerable<LlvmInstruction> Instructions
    {
        get
        {
            for (var i = LlvmApi.LLVMGetFirstInstruction(Raw); i != 0; i = LlvmApi.LLVMGetNextInstruction(i))
                yield return new LlvmInstruction(i);
        }
    }

    public LlvmInstruction? FirstInstruction =>
        LlvmApi.LLVMGetFirstInstruction(Raw) is var i and not 0 ? new LlvmInstruction(i) : null;

    public override string ToString() => Name;
}

/// <summary>An instruction.</summary>
public readonly partial record struct LlvmInstruction(nint Raw)
{
    public LlvmValue Value => new(Raw);
    public LlvmOpcode Opcode => (LlvmOpcode)LlvmApi.LLVMGetInstructionOpcode(Raw);
    public LlvmBasicBlock Block => new(LlvmApi.LLVMGetInstructionParent(Raw));
    public string Name => Value.Name;
    public LlvmType Type => Value.Type;
    public int OperandCount => Value.OperandCount;
    public LlvmValue Operand(int index) => Value.Operand(index);
    public IEnumerable<LlvmValue> Operands => Value.Operands;
    public LlvmIntPredicate IntPredicate => (LlvmIntPredicate)LlvmApi.LLVMGetICmpPredicate(Raw);
    public bool IsVolatile => LlvmApi.LLVMGetVolatile(Raw) != 0;

    public bool IsTerminator => Opcode is LlvmOpcode.Ret or LlvmOpcode.Br or LlvmOpcode.Switch or LlvmOpcode.IndirectBr
        or LlvmOpcode.Invoke or LlvmOpcode.Unreachable or LlvmOpcode.CallBr or LlvmOpcode.Resume;

    public int SuccessorCount => (int)LlvmApi.LLVMGetNumSuccessors(Raw);
    public LlvmBasicBlock Successor(int index) => new(LlvmApi.LLVMGetSuccessor(Raw, (uint)index));

    public IEnumerable<LlvmBasicBlock> Successors
    {
        get
        {
            var count = SuccessorCount;
            for (var i = 0; i < count; i++)
                yield return Successor(i);
        }
    }

    /// <summary>For a conditional <c>br</c>, its i1 condition; otherwise null.</summary>
    public LlvmValue? BranchCondition =>
        Opcode == LlvmOpcode.Br && LlvmApi.LLVMIsConditional(Raw) != 0 ? new LlvmValue(LlvmApi.LLVMGetCondition(Raw)) : null;

    /// <summary>For a call, the callee: a function, or for BPF helpers usually an <c>inttoptr</c> of the helper id.</summary>
    public LlvmValue CalledValue => new(LlvmApi.LLVMGetCalledValue(Raw));
    public int ArgumentCount => (int)LlvmApi.LLVMGetNumArgOperands(Raw);
    public LlvmValue Argument(int index) => Operand(index);
    public LlvmType AllocatedType => new(LlvmApi.LLVMGetAllocatedType(Raw));
    public LlvmType GepSourceElementType => new(LlvmApi.LLVMGetGEPSourceElementType(Raw));

    public int IncomingCount => (int)LlvmApi.LLVMCountIncoming(Raw);
    public (LlvmValue Value, LlvmBasicBlock Block) Incoming(int index) =>
        (new LlvmValue(LlvmApi.LLVMGetIncomingValue(Raw, (uint)index)), new LlvmBasicBlock(LlvmApi.LLVMGetIncomingBlock(Raw, (uint)index)));

    public LlvmDebugLocation? DebugLocation =>
        LlvmApi.LLVMInstructionGetDebugLoc(Raw) is var location and not 0 ? new LlvmDebugLocation(location, Raw) : null;

    public nint RawDebugLocation
    {
        get => LlvmApi.LLVMInstructionGetDebugLoc(Raw);
        set => LlvmApi.LLVMInstructionSetDebugLoc(Raw, value);
    }

    public void SetOperand(int index, LlvmValue value) => LlvmApi.LLVMSetOperand(Raw, (uint)index, value.Raw);
    public void EraseFromParent() => LlvmApi.LLVMInstructionEraseFromParent(Raw);
    public override string ToString() => Value.ToString();
}

/// <summary>Where an instruction came from in the source (from the <c>-g</c> debug metadata).</summary>
public readonly record struct LlvmDebugLocation(nint Raw, nint Instruction)
{
    public int Line => (int)LlvmApi.LLVMGetDebugLocLine(Instruction);
    public int Column => (int)LlvmApi.LLVMGetDebugLocColumn(Instruction);
    public string File
    {
        get
        {
            var name = LlvmApi.LLVMGetDebugLocFilename(Instruction, out var length);
            return name == 0 ? "" : Marshal.PtrToStringUTF8(name, (int)length) ?? "";
        }
    }

    /// <summary>The compilation directory a relative <see cref="File"/> is relative to (may be empty).</summary>
    public string Directory
    {
        get
        {
            var name = LlvmApi.LLVMGetDebugLocDirectory(Instruction, out var length);
            return name == 0 ? "" : Marshal.PtrToStringUTF8(name, (int)length) ?? "";
        }
    }

    public override string ToString() => $"{File}:{Line}:{Column}";
}

/// <summary>An LLVM type.</summary>
public readonly record struct LlvmType(nint Raw)
{
    public LlvmTypeKind Kind => (LlvmTypeKind)LlvmApi.LLVMGetTypeKind(Raw);
    public int IntWidth => (int)LlvmApi.LLVMGetIntTypeWidth(Raw);
    /// <summary>The pointee of a (typed, LLVM 14) pointer, or the element of an array.</summary>
    public LlvmType ElementType => new(LlvmApi.LLVMGetElementType(Raw));
    public int ArrayLength => (int)LlvmApi.LLVMGetArrayLength(Raw);
    public int StructElementCount => (int)LlvmApi.LLVMCountStructElementTypes(Raw);
    public LlvmType StructElement(int index) => new(LlvmApi.LLVMStructGetTypeAtIndex(Raw, (uint)index));
    public string StructName => Marshal.PtrToStringUTF8(LlvmApi.LLVMGetStructName(Raw)) ?? "";
    public LlvmType ReturnType => new(LlvmApi.LLVMGetReturnType(Raw));
    public LlvmType PointerTo(uint addressSpace = 0) => new(LlvmApi.LLVMPointerType(Raw, addressSpace));

    public LlvmValue ConstInt(ulong value, bool signExtend = false) => new(LlvmApi.LLVMConstInt(Raw, value, signExtend ? 1 : 0));
    public LlvmValue ConstNull() => new(LlvmApi.LLVMConstNull(Raw));
    public LlvmValue Undef() => new(LlvmApi.LLVMGetUndef(Raw));

    public static LlvmType Function(LlvmType returnType, ReadOnlySpan<LlvmType> parameters, bool isVarArg = false)
    {
        var raw = new nint[parameters.Length];
        for (var i = 0; i < raw.Length; i++)
            raw[i] = parameters[i].Raw;
        return new LlvmType(LlvmApi.LLVMFunctionType(returnType.Raw, raw, isVarArg));
    }

    public override string ToString() => LlvmApi.TakeMessage(LlvmApi.LLVMPrintTypeToString(Raw));
}
