using System.Runtime.InteropServices;

namespace Kecleon.Interop;

/// <summary>Raw imports from the LLVM 14 C API. Handles are plain pointers here; the managed model in
/// <c>Kecleon.Llvm</c> decides who owns what. The calls that can end the process (parse, run passes, verify, emit,
/// link) are not here: they go through <see cref="LlvmGuard"/>.</summary>
internal static unsafe partial class LlvmApi
{
    private const string Lib = NativeLibraries.Llvm;

    // Core: contexts, modules, memory buffers, messages
    [LibraryImport(Lib)] public static partial nint LLVMContextCreate();
    [LibraryImport(Lib)] public static partial void LLVMContextDispose(nint context);
    [LibraryImport(Lib)] public static partial void LLVMDisposeMessage(nint message);
    [LibraryImport(Lib, StringMarshalling = StringMarshalling.Utf8)]
    public static partial nint LLVMCreateMemoryBufferWithMemoryRangeCopy(byte* data, nuint length, string name);
    [LibraryImport(Lib)] public static partial void LLVMDisposeMemoryBuffer(nint buffer);
    [LibraryImport(Lib)] public static partial byte* LLVMGetBufferStart(nint buffer);
    [LibraryImport(Lib)] public static partial nuint LLVMGetBufferSize(nint buffer);
    [LibraryImport(Lib)] public static partial nint LLVMCloneModule(nint module);
    [LibraryImport(Lib)] public static partial void LLVMDisposeModule(nint module);
    [LibraryImport(Lib)] public static partial nint LLVMGetModuleContext(nint module);
    [LibraryImport(Lib)] public static partial nint LLVMPrintModuleToString(nint module);
    [LibraryImport(Lib)] public static partial nint LLVMGetModuleIdentifier(nint module, out nuint length);
    [LibraryImport(Lib)] public static partial nint LLVMGetTarget(nint module);
    [LibraryImport(Lib, StringMarshalling = StringMarshalling.Utf8)] public static partial void LLVMSetTarget(nint module, string triple);
    [LibraryImport(Lib)] public static partial void LLVMSetModuleDataLayout(nint module, nint layout);
    [LibraryImport(Lib)] public static partial nint LLVMWriteBitcodeToMemoryBuffer(nint module);
    [LibraryImport(Lib, StringMarshalling = StringMarshalling.Utf8)] public static partial nint LLVMGetNamedFunction(nint module, string name);
    [LibraryImport(Lib, StringMarshalling = StringMarshalling.Utf8)] public static partial nint LLVMGetNamedGlobal(nint module, string name);

    // Globals and functions
    [LibraryImport(Lib)] public static partial nint LLVMGetFirstFunction(nint module);
    [LibraryImport(Lib)] public static partial nint LLVMGetNextFunction(nint function);
    [LibraryImport(Lib)] public static partial nint LLVMGetFirstGlobal(nint module);
    [LibraryImport(Lib)] public static partial nint LLVMGetNextGlobal(nint global);
    [LibraryImport(Lib)] public static partial int LLVMIsDeclaration(nint global);
    [LibraryImport(Lib)] public static partial nint LLVMGetSection(nint global);
    [LibraryImport(Lib)] public static partial nint LLVMGetInitializer(nint global);
    [LibraryImport(Lib)] public static partial int LLVMIsGlobalConstant(nint global);
    [LibraryImport(Lib)] public static partial nint LLVMGlobalGetValueType(nint global);
    [LibraryImport(Lib)] public static partial int LLVMGetLinkage(nint global);
    [LibraryImport(Lib)] public static partial uint LLVMCountParams(nint function);
    [LibraryImport(Lib)] public static partial nint LLVMGetParam(nint function, uint index);
    [LibraryImport(Lib)] public static partial uint LLVMGetIntrinsicID(nint function);
    [LibraryImport(Lib)] public static partial nint LLVMGetSubprogram(nint function);

    // Values
    [LibraryImport(Lib)] public static partial nint LLVMGetValueName2(nint value, out nuint length);
    [LibraryImport(Lib)] public static partial void LLVMSetValueName2(nint value, byte* name, nuint length);
    [LibraryImport(Lib)] public static partial nint LLVMTypeOf(nint value);
    [LibraryImport(Lib)] public static partial nint LLVMPrintValueToString(nint value);
    [LibraryImport(Lib)] public static partial int LLVMGetValueKind(nint value);
    [LibraryImport(Lib)] public static partial int LLVMIsConstant(nint value);
    [LibraryImport(Lib)] public static partial int LLVMIsNull(nint value);
    [LibraryImport(Lib)] public static partial ulong LLVMConstIntGetZExtValue(nint value);
    [LibraryImport(Lib)] public static partial long LLVMConstIntGetSExtValue(nint value);
    [LibraryImport(Lib)] public static partial int LLVMGetNumOperands(nint value);
    [LibraryImport(Lib)] public static partial nint LLVMGetOperand(nint value, uint index);
    [LibraryImport(Lib)] public static partial void LLVMSetOperand(nint value, uint index, nint operand);
    [LibraryImport(Lib)] public static partial nint LLVMGetFirstUse(nint value);
    [LibraryImport(Lib)] public static partial nint LLVMGetNextUse(nint use);
    [LibraryImport(Lib)] public static partial nint LLVMGetUser(nint use);
    [LibraryImport(Lib)] public static partial void LLVMReplaceAllUsesWith(nint oldValue, nint newValue);
    [LibraryImport(Lib)] public static partial nint LLVMIsAFunction(nint value);
    [LibraryImport(Lib)] public static partial nint LLVMIsAGlobalVariable(nint value);
    [LibraryImport(Lib)] public static partial nint LLVMIsAInstruction(nint value);
    [LibraryImport(Lib)] public static partial nint LLVMIsAConstantInt(nint value);
    [LibraryImport(Lib)] public static partial nint LLVMIsAArgument(nint value);
    [LibraryImport(Lib)] public static partial nint LLVMIsAConstantExpr(nint value);
    [LibraryImport(Lib)] public static partial nint LLVMIsAInlineAsm(nint value);
    [LibraryImport(Lib)] public static partial int LLVMGetConstOpcode(nint value);

    // Basic blocks and instructions
    [LibraryImport(Lib)] public static partial nint LLVMGetFirstBasicBlock(nint function);
    [LibraryImport(Lib)] public static partial nint LLVMGetNextBasicBlock(nint block);
    [LibraryImport(Lib)] public static partial uint LLVMCountBasicBlocks(nint function);
    [LibraryImport(Lib)] public static partial nint LLVMGetEntryBasicBlock(nint function);
    [LibraryImport(Lib)] public static partial nint LLVMGetBasicBlockName(nint block);
    [LibraryImport(Lib)] public static partial nint LLVMGetBasicBlockParent(nint block);
    [LibraryImport(Lib)] public static partial nint LLVMGetBasicBlockTerminator(nint block);
    [LibraryImport(Lib)] public static partial nint LLVMBasicBlockAsValue(nint block);
    [LibraryImport(Lib)] public static partial nint LLVMValueAsBasicBlock(nint value);
    [LibraryImport(Lib)] public static partial int LLVMValueIsBasicBlock(nint value);
    [LibraryImport(Lib, StringMarshalling = StringMarshalling.Utf8)]
    public static partial nint LLVMAppendBasicBlockInContext(nint context, nint function, string name);
    [LibraryImport(Lib)] public static partial nint LLVMGetFirstInstruction(nint block);
    [LibraryImport(Lib)] public static partial nint LLVMGetNextInstruction(nint instruction);
    [LibraryImport(Lib)] public static partial nint LLVMGetInstructionParent(nint instruction);
    [LibraryImport(Lib)] public static partial int LLVMGetInstructionOpcode(nint instruction);
    [LibraryImport(Lib)] public static partial int LLVMGetICmpPredicate(nint instruction);
    [LibraryImport(Lib)] public static partial uint LLVMGetNumSuccessors(nint terminator);
    [LibraryImport(Lib)] public static partial nint LLVMGetSuccessor(nint terminator, uint index);
    [LibraryImport(Lib)] public static partial nint LLVMGetCondition(nint branch);
    [LibraryImport(Lib)] public static partial int LLVMIsConditional(nint branch);
    [LibraryImport(Lib)] public static partial nint LLVMGetSwitchDefaultDest(nint switchInstruction);
    [LibraryImport(Lib)] public static partial nint LLVMGetCalledValue(nint call);
    [LibraryImport(Lib)] public static partial nint LLVMGetCalledFunctionType(nint call);
    [LibraryImport(Lib)] public static partial uint LLVMGetNumArgOperands(nint call);
    [LibraryImport(Lib)] public static partial nint LLVMGetAllocatedType(nint alloca);
    [LibraryImport(Lib)] public static partial nint LLVMGetGEPSourceElementType(nint gep);
    [LibraryImport(Lib)] public static partial int LLVMGetVolatile(nint memoryAccess);
    [LibraryImport(Lib)] public static partial void LLVMSetVolatile(nint memoryAccess, int isVolatile);
    [LibraryImport(Lib)] public static partial uint LLVMGetAlignment(nint value);
    [LibraryImport(Lib)] public static partial int LLVMGetAtomicRMWBinOp(nint atomicRmw);
    [LibraryImport(Lib)] public static partial void LLVMInstructionEraseFromParent(nint instruction);
    [LibraryImport(Lib)] public static partial uint LLVMCountIncoming(nint phi);
    [LibraryImport(Lib)] public static partial nint LLVMGetIncomingValue(nint phi, uint index);
    [LibraryImport(Lib)] public static partial nint LLVMGetIncomingBlock(nint phi, uint index);
    [LibraryImport(Lib)] public static partial void LLVMAddIncoming(nint phi, nint* values, nint* blocks, uint count);
    [LibraryImport(Lib)] public static partial void LLVMAddCase(nint switchInstruction, nint onValue, nint dest);

    // Metadata and debug locations
    [LibraryImport(Lib)] public static partial nint LLVMInstructionGetDebugLoc(nint instruction);
    [LibraryImport(Lib)] public static partial void LLVMInstructionSetDebugLoc(nint instruction, nint location);
    [LibraryImport(Lib)] public static partial uint LLVMGetDebugLocLine(nint value);
    [LibraryImport(Lib)] public static partial uint LLVMGetDebugLocColumn(nint value);
    [LibraryImport(Lib)] public static partial nint LLVMGetDebugLocFilename(nint value, out uint length);
    [LibraryImport(Lib)] public static partial nint LLVMGetDebugLocDirectory(nint value, out uint length);
    [LibraryImport(Lib)] public static partial nint LLVMDIScopeGetFile(nint scope);
    [LibraryImport(Lib)] public static partial nint LLVMDIFileGetFilename(nint file, out uint length);
    [LibraryImport(Lib)] public static partial nint LLVMDIFileGetDirectory(nint file, out uint length);
    [LibraryImport(Lib)] public static partial uint LLVMGetMDKindIDInContext(nint context, byte* name, uint length);
    [LibraryImport(Lib)] public static partial nint LLVMGetMetadata(nint value, uint kind);
    [LibraryImport(Lib)] public static partial void LLVMSetMetadata(nint value, uint kind, nint node);
    [LibraryImport(Lib)] public static partial nint LLVMMDStringInContext2(nint context, byte* text, nuint length);
    [LibraryImport(Lib)] public static partial nint LLVMMDNodeInContext2(nint context, nint* metadata, nuint count);
    [LibraryImport(Lib)] public static partial nint LLVMValueAsMetadata(nint value);
    [LibraryImport(Lib)] public static partial uint LLVMGetNamedMetadataNumOperands(nint module, byte* name);
    [LibraryImport(Lib)] public static partial void LLVMGetNamedMetadataOperands(nint module, byte* name, nint* operands);
    [LibraryImport(Lib)] public static partial void LLVMAddNamedMetadataOperand(nint module, byte* name, nint value);
    [LibraryImport(Lib)] public static partial byte* LLVMGetMDString(nint value, out uint length);
    [LibraryImport(Lib)] public static partial nint LLVMGetNamedMetadata(nint module, byte* name, nuint nameLength);
    [LibraryImport(Lib)] public static partial nint LLVMMetadataAsValue(nint context, nint metadata);
    [LibraryImport(Lib)] public static partial uint LLVMGetMDNodeNumOperands(nint node);
    [LibraryImport(Lib)] public static partial void LLVMGetMDNodeOperands(nint node, nint* operands);
    [LibraryImport(Lib)] public static partial uint LLVMDebugMetadataVersion();
    [LibraryImport(Lib)] public static partial uint LLVMGetModuleDebugMetadataVersion(nint module);

    // Types
    [LibraryImport(Lib)] public static partial int LLVMGetTypeKind(nint type);
    [LibraryImport(Lib)] public static partial uint LLVMGetIntTypeWidth(nint type);
    [LibraryImport(Lib)] public static partial nint LLVMPrintTypeToString(nint type);
    [LibraryImport(Lib)] public static partial nint LLVMInt1TypeInContext(nint context);
    [LibraryImport(Lib)] public static partial nint LLVMInt8TypeInContext(nint context);
    [LibraryImport(Lib)] public static partial nint LLVMInt16TypeInContext(nint context);
    [LibraryImport(Lib)] public static partial nint LLVMInt32TypeInContext(nint context);
    [LibraryImport(Lib)] public static partial nint LLVMInt64TypeInContext(nint context);
    [LibraryImport(Lib)] public static partial nint LLVMIntTypeInContext(nint context, uint bits);
    [LibraryImport(Lib)] public static partial nint LLVMVoidTypeInContext(nint context);
    [LibraryImport(Lib)] public static partial nint LLVMPointerType(nint elementType, uint addressSpace);
    [LibraryImport(Lib)] public static partial nint LLVMGetElementType(nint type);
    [LibraryImport(Lib)] public static partial uint LLVMCountStructElementTypes(nint type);
    [LibraryImport(Lib)] public static partial nint LLVMStructGetTypeAtIndex(nint type, uint index);
    [LibraryImport(Lib)] public static partial nint LLVMGetStructName(nint type);
    [LibraryImport(Lib)] public static partial uint LLVMGetArrayLength(nint type);
    [LibraryImport(Lib)] public static partial nint LLVMFunctionType(nint returnType, nint* parameters, uint count, int isVarArg);
    [LibraryImport(Lib)] public static partial nint LLVMGetReturnType(nint functionType);

    // Constants
    [LibraryImport(Lib)] public static partial nint LLVMConstInt(nint type, ulong value, int signExtend);
    [LibraryImport(Lib)] public static partial nint LLVMConstNull(nint type);
    [LibraryImport(Lib)] public static partial nint LLVMConstPointerNull(nint type);
    [LibraryImport(Lib)] public static partial nint LLVMConstIntToPtr(nint value, nint type);
    [LibraryImport(Lib)] public static partial nint LLVMGetUndef(nint type);
    [LibraryImport(Lib)] public static partial nint LLVMGetElementAsConstant(nint constant, uint index);
    [LibraryImport(Lib)] public static partial nint LLVMGetAggregateElement(nint constant, uint index);

    // IR builder
    [LibraryImport(Lib)] public static partial nint LLVMCreateBuilderInContext(nint context);
    [LibraryImport(Lib)] public static partial void LLVMDisposeBuilder(nint builder);
    [LibraryImport(Lib)] public static partial void LLVMPositionBuilderAtEnd(nint builder, nint block);
    [LibraryImport(Lib)] public static partial void LLVMPositionBuilderBefore(nint builder, nint instruction);
    [LibraryImport(Lib)] public static partial nint LLVMGetInsertBlock(nint builder);
    [LibraryImport(Lib)] public static partial void LLVMSetCurrentDebugLocation2(nint builder, nint location);
    [LibraryImport(Lib)] public static partial nint LLVMGetCurrentDebugLocation2(nint builder);
    [LibraryImport(Lib)] public static partial nint LLVMBuildRet(nint builder, nint value);
    [LibraryImport(Lib)] public static partial nint LLVMBuildBr(nint builder, nint dest);
    [LibraryImport(Lib)] public static partial nint LLVMBuildCondBr(nint builder, nint condition, nint then, nint @else);
    [LibraryImport(Lib)] public static partial nint LLVMBuildSwitch(nint builder, nint value, nint @else, uint cases);
    [LibraryImport(Lib)] public static partial nint LLVMBuildUnreachable(nint builder);
    [LibraryImport(Lib, StringMarshalling = StringMarshalling.Utf8)]
    public static partial nint LLVMBuildICmp(nint builder, int predicate, nint lhs, nint rhs, string name);
    [LibraryImport(Lib, StringMarshalling = StringMarshalling.Utf8)]
    public static partial nint LLVMBuildAnd(nint builder, nint lhs, nint rhs, string name);
    [LibraryImport(Lib, StringMarshalling = StringMarshalling.Utf8)]
    public static partial nint LLVMBuildOr(nint builder, nint lhs, nint rhs, string name);
    [LibraryImport(Lib, StringMarshalling = StringMarshalling.Utf8)]
    public static partial nint LLVMBuildAdd(nint builder, nint lhs, nint rhs, string name);
    [LibraryImport(Lib, StringMarshalling = StringMarshalling.Utf8)]
    public static partial nint LLVMBuildLoad2(nint builder, nint type, nint pointer, string name);
    [LibraryImport(Lib)] public static partial nint LLVMBuildStore(nint builder, nint value, nint pointer);
    [LibraryImport(Lib, StringMarshalling = StringMarshalling.Utf8)]
    public static partial nint LLVMBuildCall2(nint builder, nint functionType, nint function, nint* args, uint count, string name);
    [LibraryImport(Lib, StringMarshalling = StringMarshalling.Utf8)]
    public static partial nint LLVMBuildPhi(nint builder, nint type, string name);
    [LibraryImport(Lib, StringMarshalling = StringMarshalling.Utf8)]
    public static partial nint LLVMBuildSelect(nint builder, nint condition, nint then, nint @else, string name);
    [LibraryImport(Lib, StringMarshalling = StringMarshalling.Utf8)]
    public static partial nint LLVMBuildBitCast(nint builder, nint value, nint type, string name);
    [LibraryImport(Lib, StringMarshalling = StringMarshalling.Utf8)]
    public static partial nint LLVMBuildZExt(nint builder, nint value, nint type, string name);
    [LibraryImport(Lib, StringMarshalling = StringMarshalling.Utf8)]
    public static partial nint LLVMBuildGEP2(nint builder, nint type, nint pointer, nint* indices, uint count, string name);
    [LibraryImport(Lib, StringMarshalling = StringMarshalling.Utf8)]
    public static partial nint LLVMBuildAlloca(nint builder, nint type, string name);

    // Passes and code generation
    [LibraryImport(Lib)] public static partial nint LLVMCreatePassBuilderOptions();
    [LibraryImport(Lib)] public static partial void LLVMDisposePassBuilderOptions(nint options);
    [LibraryImport(Lib)] public static partial void LLVMPassBuilderOptionsSetVerifyEach(nint options, int verifyEach);
    [LibraryImport(Lib)] public static partial void LLVMPassBuilderOptionsSetDebugLogging(nint options, int debugLogging);
    [LibraryImport(Lib)] public static partial nint LLVMGetErrorMessage(nint error);
    [LibraryImport(Lib)] public static partial void LLVMDisposeErrorMessage(nint message);

    [LibraryImport(Lib)] public static partial void LLVMInitializeBPFTargetInfo();
    [LibraryImport(Lib)] public static partial void LLVMInitializeBPFTarget();
    [LibraryImport(Lib)] public static partial void LLVMInitializeBPFTargetMC();
    [LibraryImport(Lib)] public static partial void LLVMInitializeBPFAsmPrinter();
    [LibraryImport(Lib)] public static partial void LLVMInitializeBPFAsmParser();
    [LibraryImport(Lib, StringMarshalling = StringMarshalling.Utf8)]
    public static partial int LLVMGetTargetFromTriple(string triple, out nint target, out nint message);
    [LibraryImport(Lib, StringMarshalling = StringMarshalling.Utf8)]
    public static partial nint LLVMCreateTargetMachine(nint target, string triple, string cpu, string features, int level, int reloc, int codeModel);
    [LibraryImport(Lib)] public static partial void LLVMDisposeTargetMachine(nint machine);
    [LibraryImport(Lib)] public static partial nint LLVMCreateTargetDataLayout(nint machine);
    [LibraryImport(Lib)] public static partial void LLVMDisposeTargetData(nint layout);
    [LibraryImport(Lib)] public static partial ulong LLVMABISizeOfType(nint layout, nint type);
    [LibraryImport(Lib)] public static partial ulong LLVMStoreSizeOfType(nint layout, nint type);
    [LibraryImport(Lib)] public static partial ulong LLVMOffsetOfElement(nint layout, nint structType, uint element);
    [LibraryImport(Lib)] public static partial nint LLVMGetDataLayoutStr(nint module);
    [LibraryImport(Lib)] public static partial nint LLVMCreateTargetData(byte* layout);

    /// <summary>Copies an LLVM-owned message into a string and gives it back with <c>LLVMDisposeMessage</c>.</summary>
    public static string TakeMessage(nint message)
    {
        if (message == 0)
            return "";
        try { return Marshal.PtrToStringUTF8(message) ?? ""; }
        finally { LLVMDisposeMessage(message); }
    }

    /// <summary>Turns an <c>LLVMErrorRef</c> into its message (consuming the error), or null on success.</summary>
    public static string? TakeError(nint error)
    {
        if (error == 0)
            return null;
        var message = LLVMGetErrorMessage(error);
        try { return Marshal.PtrToStringUTF8(message) ?? "unknown LLVM error"; }
        finally { LLVMDisposeErrorMessage(message); }
    }

    public static string ReadString(nint text, nuint length) =>
        text == 0 ? "" : Marshal.PtrToStringUTF8(text, checked((int)length)) ?? "";
}
