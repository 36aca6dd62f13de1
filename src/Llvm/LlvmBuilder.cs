using Kecleon.Interop;
using Microsoft.Win32.SafeHandles;

namespace Kecleon.Llvm;

/// <summary>An IR builder. New instructions take the builder's current debug location, so transforms keep the
/// <c>-g</c> metadata intact (the BPF back end needs it to emit BTF line info).</summary>
public sealed class LlvmBuilder : SafeHandleZeroOrMinusOneIsInvalid
{
    public LlvmBuilder(LlvmContext context) : base(ownsHandle: true)
    {
        Context = context;
        SetHandle(LlvmApi.LLVMCreateBuilderInContext(context.Raw));
    }

    public LlvmContext Context { get; }
    internal nint Raw => handle;

    public LlvmBasicBlock InsertBlock => new(LlvmApi.LLVMGetInsertBlock(handle));

    public void PositionAtEnd(LlvmBasicBlock block) => LlvmApi.LLVMPositionBuilderAtEnd(handle, block.Raw);

    /// <summary>Positions before <paramref name="instruction"/> and takes its debug location.</summary>
    public void PositionBefore(LlvmInstruction instruction)
    {
        LlvmApi.LLVMPositionBuilderBefore(handle, instruction.Raw);
        DebugLocation = instruction.RawDebugLocation;
    }

    /// <summary>The debug location (metadata) given to new instructions.</summary>
    public nint DebugLocation
    {
        get => LlvmApi.LLVMGetCurrentDebugLocation2(handle);
        set => LlvmApi.LLVMSetCurrentDebugLocation2(handle, value);
    }

    public LlvmInstruction Ret(LlvmValue value) => new(LlvmApi.LLVMBuildRet(handle, value.Raw));
    public LlvmInstruction Br(LlvmBasicBlock target) => new(LlvmApi.LLVMBuildBr(handle, target.Raw));
    public LlvmInstruction CondBr(LlvmValue condition, LlvmBasicBlock then, LlvmBasicBlock @else) =>
        new(LlvmApi.LLVMBuildCondBr(handle, condition.Raw, then.Raw, @else.Raw));
    public LlvmInstruction Switch(LlvmValue value, LlvmBasicBlock @default, int caseHint) =>
        new(LlvmApi.LLVMBuildSwitch(handle, value.Raw, @default.Raw, (uint)caseHint));
    public static void AddCase(LlvmInstruction @switch, LlvmValue onValue, LlvmBasicBlock target) =>
        LlvmApi.LLVMAddCase(@switch.Raw, onValue.Raw, target.Raw);
    public LlvmInstruction Unreachable() => new(LlvmApi.LLVMBuildUnreachable(handle));

    public LlvmValue ICmp(LlvmIntPredicate predicate, LlvmValue lhs, LlvmValue rhs, string name = "") =>
        new(LlvmApi.LLVMBuildICmp(handle, (int)predicate, lhs.Raw, rhs.Raw, name));
    public LlvmValue And(LlvmValue lhs, LlvmValue rhs, string name = "") => new(LlvmApi.LLVMBuildAnd(handle, lhs.Raw, rhs.Raw, name));
    public LlvmValue Or(LlvmValue lhs, LlvmValue rhs, string name = "") => new(LlvmApi.LLVMBuildOr(handle, lhs.Raw, rhs.Raw, name));
    public LlvmValue Add(LlvmValue lhs, LlvmValue rhs, string name = "") => new(LlvmApi.LLVMBuildAdd(handle, lhs.Raw, rhs.Raw, name));
    public LlvmValue Load(LlvmType type, LlvmValue pointer, string name = "") => new(LlvmApi.LLVMBuildLoad2(handle, type.Raw, pointer.Raw, name));
    public LlvmValue Store(LlvmValue value, LlvmValue pointer) => new(LlvmApi.LLVMBuildStore(handle, value.Raw, pointer.Raw));
    public LlvmValue BitCast(LlvmValue value, LlvmType type, string name = "") => new(LlvmApi.LLVMBuildBitCast(handle, value.Raw, type.Raw, name));
    public LlvmValue ZExt(LlvmValue value, LlvmType type, string name = "") => new(LlvmApi.LLVMBuildZExt(handle, value.Raw, type.Raw, name));
    public LlvmValue Select(LlvmValue condition, LlvmValue then, LlvmValue @else, string name = "") =>
        new(LlvmApi.LLVMBuildSelect(handle, condition.Raw, then.Raw, @else.Raw, name));
    public LlvmValue Alloca(LlvmType type, string name = "") => new(LlvmApi.LLVMBuildAlloca(handle, type.Raw, name));

    /// <summary>A store LLVM keeps as it is: not promoted to a register, not merged or dropped.</summary>
    public LlvmValue VolatileStore(LlvmValue value, LlvmValue pointer)
    {
        var store = Store(value, pointer);
        LlvmApi.LLVMSetVolatile(store.Raw, 1);
        return store;
    }

    /// <summary>A load LLVM keeps as it is (see <see cref="VolatileStore"/>).</summary>
    public LlvmValue VolatileLoad(LlvmType type, LlvmValue pointer, string name = "")
    {
        var load = Load(type, pointer, name);
        LlvmApi.LLVMSetVolatile(load.Raw, 1);
        return load;
    }

    public LlvmValue Gep(LlvmType sourceElementType, LlvmValue pointer, ReadOnlySpan<LlvmValue> indices, string name = "")
    {
        Span<nint> raw = stackalloc nint[indices.Length];
        for (var i = 0; i < indices.Length; i++)
            raw[i] = indices[i].Raw;
        return new LlvmValue(LlvmApi.LLVMBuildGEP2(handle, sourceElementType.Raw, pointer.Raw, raw, name));
    }

    public LlvmValue Call(LlvmType functionType, LlvmValue callee, ReadOnlySpan<LlvmValue> arguments, string name = "")
    {
        Span<nint> raw = stackalloc nint[arguments.Length];
        for (var i = 0; i < arguments.Length; i++)
            raw[i] = arguments[i].Raw;
        return new LlvmValue(LlvmApi.LLVMBuildCall2(handle, functionType.Raw, callee.Raw, raw, name));
    }

    public LlvmInstruction Phi(LlvmType type, string name = "") => new(LlvmApi.LLVMBuildPhi(handle, type.Raw, name));

    public static void AddIncoming(LlvmInstruction phi, LlvmValue value, LlvmBasicBlock block) =>
        LlvmApi.LLVMAddIncoming(phi.Raw, value.Raw, block.Raw);

    protected override bool ReleaseHandle()
    {
        LlvmApi.LLVMDisposeBuilder(handle);
        return true;
    }
}
