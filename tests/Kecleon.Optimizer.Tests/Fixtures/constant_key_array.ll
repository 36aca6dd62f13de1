; ModuleID = 'constant_key_array.c'
source_filename = "constant_key_array.c"
target datalayout = "e-m:e-p:64:64-i64:64-i128:128-n32:64-S128"
target triple = "bpf"

%struct.anon = type { [2 x i32]*, [8 x i32]*, i32*, i32* }
%struct.xdp_md = type { i32, i32, i32, i32, i32, i32 }

@LICENSE = dso_local global [4 x i8] c"GPL\00", section "license", align 1, !dbg !0
@limits = dso_local global %struct.anon zeroinitializer, section ".maps", align 8, !dbg !18
@llvm.compiler.used = appending global [3 x i8*] [i8* getelementptr inbounds ([4 x i8], [4 x i8]* @LICENSE, i32 0, i32 0), i8* bitcast (i32 (%struct.xdp_md*)* @constant_key_array to i8*), i8* bitcast (%struct.anon* @limits to i8*)], section "llvm.metadata"

; Function Attrs: nounwind
define dso_local i32 @constant_key_array(%struct.xdp_md* nocapture noundef readonly %0) #0 section "xdp" !dbg !55 {
  %2 = alloca i32, align 4
  call void @llvm.dbg.value(metadata %struct.xdp_md* %0, metadata !68, metadata !DIExpression()), !dbg !73
  %3 = getelementptr inbounds %struct.xdp_md, %struct.xdp_md* %0, i64 0, i32 0, !dbg !74
  %4 = load i32, i32* %3, align 4, !dbg !74, !tbaa !75
  call void @llvm.dbg.value(metadata i32 %4, metadata !69, metadata !DIExpression(DW_OP_LLVM_convert, 32, DW_ATE_unsigned, DW_OP_LLVM_convert, 64, DW_ATE_unsigned, DW_OP_stack_value)), !dbg !73
  %5 = getelementptr inbounds %struct.xdp_md, %struct.xdp_md* %0, i64 0, i32 1, !dbg !80
  %6 = load i32, i32* %5, align 4, !dbg !80, !tbaa !81
  call void @llvm.dbg.value(metadata i32 %6, metadata !70, metadata !DIExpression(DW_OP_LLVM_convert, 32, DW_ATE_unsigned, DW_OP_LLVM_convert, 64, DW_ATE_unsigned, DW_OP_stack_value)), !dbg !73
  %7 = bitcast i32* %2 to i8*, !dbg !82
  call void @llvm.lifetime.start.p0i8(i64 4, i8* nonnull %7) #3, !dbg !82
  call void @llvm.dbg.value(metadata i32 3, metadata !71, metadata !DIExpression()), !dbg !73
  store i32 3, i32* %2, align 4, !dbg !83, !tbaa !84
  call void @llvm.dbg.value(metadata i32* %2, metadata !71, metadata !DIExpression(DW_OP_deref)), !dbg !73
  %8 = call i8* inttoptr (i64 1 to i8* (i8*, i8*)*)(i8* noundef bitcast (%struct.anon* @limits to i8*), i8* noundef nonnull %7) #3, !dbg !85
  call void @llvm.dbg.value(metadata i8* %8, metadata !72, metadata !DIExpression()), !dbg !73
  %9 = icmp eq i8* %8, null, !dbg !86
  br i1 %9, label %21, label %10, !dbg !88

10:                                               ; preds = %1
  %11 = bitcast i8* %8 to i32*, !dbg !85
  call void @llvm.dbg.value(metadata i32* %11, metadata !72, metadata !DIExpression()), !dbg !73
  %12 = zext i32 %6 to i64, !dbg !89
  call void @llvm.dbg.value(metadata i64 %12, metadata !70, metadata !DIExpression()), !dbg !73
  %13 = inttoptr i64 %12 to i8*, !dbg !90
  call void @llvm.dbg.value(metadata i8* %13, metadata !70, metadata !DIExpression()), !dbg !73
  %14 = zext i32 %4 to i64, !dbg !91
  call void @llvm.dbg.value(metadata i64 %14, metadata !69, metadata !DIExpression()), !dbg !73
  %15 = inttoptr i64 %14 to i8*, !dbg !92
  call void @llvm.dbg.value(metadata i8* %15, metadata !69, metadata !DIExpression()), !dbg !73
  %16 = load i32, i32* %11, align 4, !dbg !93, !tbaa !84
  %17 = zext i32 %16 to i64, !dbg !94
  %18 = getelementptr i8, i8* %15, i64 %17, !dbg !94
  %19 = icmp ugt i8* %18, %13, !dbg !95
  %20 = select i1 %19, i32 1, i32 2, !dbg !96
  br label %21, !dbg !97

21:                                               ; preds = %1, %10
  %22 = phi i32 [ %20, %10 ], [ 0, %1 ], !dbg !73
  call void @llvm.lifetime.end.p0i8(i64 4, i8* nonnull %7) #3, !dbg !98
  ret i32 %22, !dbg !98
}

; Function Attrs: argmemonly mustprogress nofree nosync nounwind willreturn
declare void @llvm.lifetime.start.p0i8(i64 immarg, i8* nocapture) #1

; Function Attrs: argmemonly mustprogress nofree nosync nounwind willreturn
declare void @llvm.lifetime.end.p0i8(i64 immarg, i8* nocapture) #1

; Function Attrs: nofree nosync nounwind readnone speculatable willreturn
declare void @llvm.dbg.value(metadata, metadata, metadata) #2

attributes #0 = { nounwind "frame-pointer"="all" "min-legal-vector-width"="0" "no-trapping-math"="true" "stack-protector-buffer-size"="8" }
attributes #1 = { argmemonly mustprogress nofree nosync nounwind willreturn }
attributes #2 = { nofree nosync nounwind readnone speculatable willreturn }
attributes #3 = { nounwind }

!llvm.dbg.cu = !{!2}
!llvm.module.flags = !{!50, !51, !52, !53}
!llvm.ident = !{!54}

!0 = !DIGlobalVariableExpression(var: !1, expr: !DIExpression())
!1 = distinct !DIGlobalVariable(name: "LICENSE", scope: !2, file: !3, line: 4, type: !46, isLocal: false, isDefinition: true)
!2 = distinct !DICompileUnit(language: DW_LANG_C99, file: !3, producer: "Debian clang version 14.0.6", isOptimized: true, runtimeVersion: 0, emissionKind: FullDebug, enums: !4, retainedTypes: !14, globals: !17, splitDebugInlining: false, nameTableKind: None)
!3 = !DIFile(filename: "constant_key_array.c", directory: ".", checksumkind: CSK_MD5, checksum: "bddb2b848cf3c149cb13e91bbdc51468")
!4 = !{!5}
!5 = !DICompositeType(tag: DW_TAG_enumeration_type, name: "xdp_action", file: !6, line: 6089, baseType: !7, size: 32, elements: !8)
!6 = !DIFile(filename: "/usr/include/linux/bpf.h", directory: "", checksumkind: CSK_MD5, checksum: "8ab7bf195d20e2851bf1a9e5b71245ca")
!7 = !DIBasicType(name: "unsigned int", size: 32, encoding: DW_ATE_unsigned)
!8 = !{!9, !10, !11, !12, !13}
!9 = !DIEnumerator(name: "XDP_ABORTED", value: 0)
!10 = !DIEnumerator(name: "XDP_DROP", value: 1)
!11 = !DIEnumerator(name: "XDP_PASS", value: 2)
!12 = !DIEnumerator(name: "XDP_TX", value: 3)
!13 = !DIEnumerator(name: "XDP_REDIRECT", value: 4)
!14 = !{!15, !16}
!15 = !DIDerivedType(tag: DW_TAG_pointer_type, baseType: null, size: 64)
!16 = !DIBasicType(name: "long", size: 64, encoding: DW_ATE_signed)
!17 = !{!0, !18, !38}
!18 = !DIGlobalVariableExpression(var: !19, expr: !DIExpression())
!19 = distinct !DIGlobalVariable(name: "limits", scope: !2, file: !3, line: 6, type: !20, isLocal: false, isDefinition: true)
!20 = distinct !DICompositeType(tag: DW_TAG_structure_type, file: !3, line: 6, size: 256, elements: !21)
!21 = !{!22, !28, !33, !37}
!22 = !DIDerivedType(tag: DW_TAG_member, name: "type", scope: !20, file: !3, line: 6, baseType: !23, size: 64)
!23 = !DIDerivedType(tag: DW_TAG_pointer_type, baseType: !24, size: 64)
!24 = !DICompositeType(tag: DW_TAG_array_type, baseType: !25, size: 64, elements: !26)
!25 = !DIBasicType(name: "int", size: 32, encoding: DW_ATE_signed)
!26 = !{!27}
!27 = !DISubrange(count: 2)
!28 = !DIDerivedType(tag: DW_TAG_member, name: "max_entries", scope: !20, file: !3, line: 6, baseType: !29, size: 64, offset: 64)
!29 = !DIDerivedType(tag: DW_TAG_pointer_type, baseType: !30, size: 64)
!30 = !DICompositeType(tag: DW_TAG_array_type, baseType: !25, size: 256, elements: !31)
!31 = !{!32}
!32 = !DISubrange(count: 8)
!33 = !DIDerivedType(tag: DW_TAG_member, name: "key", scope: !20, file: !3, line: 6, baseType: !34, size: 64, offset: 128)
!34 = !DIDerivedType(tag: DW_TAG_pointer_type, baseType: !35, size: 64)
!35 = !DIDerivedType(tag: DW_TAG_typedef, name: "__u32", file: !36, line: 27, baseType: !7)
!36 = !DIFile(filename: "/usr/include/asm-generic/int-ll64.h", directory: "", checksumkind: CSK_MD5, checksum: "b810f270733e106319b67ef512c6246e")
!37 = !DIDerivedType(tag: DW_TAG_member, name: "value", scope: !20, file: !3, line: 6, baseType: !34, size: 64, offset: 192)
!38 = !DIGlobalVariableExpression(var: !39, expr: !DIExpression())
!39 = distinct !DIGlobalVariable(name: "bpf_map_lookup_elem", scope: !2, file: !40, line: 56, type: !41, isLocal: true, isDefinition: true)
!40 = !DIFile(filename: "/usr/include/bpf/bpf_helper_defs.h", directory: "", checksumkind: CSK_MD5, checksum: "ba0039f6acc4710a5f4349e628ddfb60")
!41 = !DIDerivedType(tag: DW_TAG_pointer_type, baseType: !42, size: 64)
!42 = !DISubroutineType(types: !43)
!43 = !{!15, !15, !44}
!44 = !DIDerivedType(tag: DW_TAG_pointer_type, baseType: !45, size: 64)
!45 = !DIDerivedType(tag: DW_TAG_const_type, baseType: null)
!46 = !DICompositeType(tag: DW_TAG_array_type, baseType: !47, size: 32, elements: !48)
!47 = !DIBasicType(name: "char", size: 8, encoding: DW_ATE_signed_char)
!48 = !{!49}
!49 = !DISubrange(count: 4)
!50 = !{i32 7, !"Dwarf Version", i32 5}
!51 = !{i32 2, !"Debug Info Version", i32 3}
!52 = !{i32 1, !"wchar_size", i32 4}
!53 = !{i32 7, !"frame-pointer", i32 2}
!54 = !{!"Debian clang version 14.0.6"}
!55 = distinct !DISubprogram(name: "constant_key_array", scope: !3, file: !3, line: 9, type: !56, scopeLine: 10, flags: DIFlagPrototyped | DIFlagAllCallsDescribed, spFlags: DISPFlagDefinition | DISPFlagOptimized, unit: !2, retainedNodes: !67)
!56 = !DISubroutineType(types: !57)
!57 = !{!25, !58}
!58 = !DIDerivedType(tag: DW_TAG_pointer_type, baseType: !59, size: 64)
!59 = distinct !DICompositeType(tag: DW_TAG_structure_type, name: "xdp_md", file: !6, line: 6100, size: 192, elements: !60)
!60 = !{!61, !62, !63, !64, !65, !66}
!61 = !DIDerivedType(tag: DW_TAG_member, name: "data", scope: !59, file: !6, line: 6101, baseType: !35, size: 32)
!62 = !DIDerivedType(tag: DW_TAG_member, name: "data_end", scope: !59, file: !6, line: 6102, baseType: !35, size: 32, offset: 32)
!63 = !DIDerivedType(tag: DW_TAG_member, name: "data_meta", scope: !59, file: !6, line: 6103, baseType: !35, size: 32, offset: 64)
!64 = !DIDerivedType(tag: DW_TAG_member, name: "ingress_ifindex", scope: !59, file: !6, line: 6105, baseType: !35, size: 32, offset: 96)
!65 = !DIDerivedType(tag: DW_TAG_member, name: "rx_queue_index", scope: !59, file: !6, line: 6106, baseType: !35, size: 32, offset: 128)
!66 = !DIDerivedType(tag: DW_TAG_member, name: "egress_ifindex", scope: !59, file: !6, line: 6108, baseType: !35, size: 32, offset: 160)
!67 = !{!68, !69, !70, !71, !72}
!68 = !DILocalVariable(name: "ctx", arg: 1, scope: !55, file: !3, line: 9, type: !58)
!69 = !DILocalVariable(name: "data", scope: !55, file: !3, line: 11, type: !15)
!70 = !DILocalVariable(name: "end", scope: !55, file: !3, line: 11, type: !15)
!71 = !DILocalVariable(name: "key", scope: !55, file: !3, line: 12, type: !35)
!72 = !DILocalVariable(name: "limit", scope: !55, file: !3, line: 13, type: !34)
!73 = !DILocation(line: 0, scope: !55)
!74 = !DILocation(line: 11, column: 34, scope: !55)
!75 = !{!76, !77, i64 0}
!76 = !{!"xdp_md", !77, i64 0, !77, i64 4, !77, i64 8, !77, i64 12, !77, i64 16, !77, i64 20}
!77 = !{!"int", !78, i64 0}
!78 = !{!"omnipotent char", !79, i64 0}
!79 = !{!"Simple C/C++ TBAA"}
!80 = !DILocation(line: 11, column: 66, scope: !55)
!81 = !{!76, !77, i64 4}
!82 = !DILocation(line: 12, column: 2, scope: !55)
!83 = !DILocation(line: 12, column: 8, scope: !55)
!84 = !{!77, !77, i64 0}
!85 = !DILocation(line: 13, column: 17, scope: !55)
!86 = !DILocation(line: 14, column: 7, scope: !87)
!87 = distinct !DILexicalBlock(scope: !55, file: !3, line: 14, column: 6)
!88 = !DILocation(line: 14, column: 6, scope: !55)
!89 = !DILocation(line: 11, column: 55, scope: !55)
!90 = !DILocation(line: 11, column: 47, scope: !55)
!91 = !DILocation(line: 11, column: 23, scope: !55)
!92 = !DILocation(line: 11, column: 15, scope: !55)
!93 = !DILocation(line: 16, column: 16, scope: !55)
!94 = !DILocation(line: 16, column: 14, scope: !55)
!95 = !DILocation(line: 16, column: 23, scope: !55)
!96 = !DILocation(line: 16, column: 9, scope: !55)
!97 = !DILocation(line: 16, column: 2, scope: !55)
!98 = !DILocation(line: 17, column: 1, scope: !55)
