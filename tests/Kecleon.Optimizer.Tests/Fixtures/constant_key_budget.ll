; ModuleID = 'constant_key_budget.c'
source_filename = "constant_key_budget.c"
target datalayout = "e-m:e-p:64:64-i64:64-i128:128-n32:64-S128"
target triple = "bpf"

%struct.anon = type { [2 x i32]*, [4 x i32]*, i32*, i32* }
%struct.xdp_md = type { i32, i32, i32, i32, i32, i32 }

@LICENSE = dso_local global [4 x i8] c"GPL\00", section "license", align 1, !dbg !0
@knobs = dso_local global %struct.anon zeroinitializer, section ".maps", align 8, !dbg !18
@llvm.compiler.used = appending global [3 x i8*] [i8* getelementptr inbounds ([4 x i8], [4 x i8]* @LICENSE, i32 0, i32 0), i8* bitcast (i32 (%struct.xdp_md*)* @constant_key_budget to i8*), i8* bitcast (%struct.anon* @knobs to i8*)], section "llvm.metadata"

; Function Attrs: nounwind
define dso_local i32 @constant_key_budget(%struct.xdp_md* nocapture noundef readonly %0) #0 section "xdp" !dbg !53 {
  %2 = alloca i32, align 4
  call void @llvm.dbg.value(metadata %struct.xdp_md* %0, metadata !66, metadata !DIExpression()), !dbg !75
  %3 = getelementptr inbounds %struct.xdp_md, %struct.xdp_md* %0, i64 0, i32 0, !dbg !76
  %4 = load i32, i32* %3, align 4, !dbg !76, !tbaa !77
  %5 = zext i32 %4 to i64, !dbg !82
  call void @llvm.dbg.value(metadata i64 %5, metadata !67, metadata !DIExpression()), !dbg !75
  %6 = getelementptr inbounds %struct.xdp_md, %struct.xdp_md* %0, i64 0, i32 1, !dbg !83
  %7 = load i32, i32* %6, align 4, !dbg !83, !tbaa !84
  %8 = zext i32 %7 to i64, !dbg !85
  call void @llvm.dbg.value(metadata i64 %8, metadata !68, metadata !DIExpression()), !dbg !75
  %9 = bitcast i32* %2 to i8*, !dbg !86
  call void @llvm.lifetime.start.p0i8(i64 4, i8* nonnull %9) #3, !dbg !86
  call void @llvm.dbg.value(metadata i32 0, metadata !69, metadata !DIExpression()), !dbg !75
  store i32 0, i32* %2, align 4, !dbg !87, !tbaa !88
  call void @llvm.dbg.value(metadata i32* %2, metadata !69, metadata !DIExpression(DW_OP_deref)), !dbg !75
  %10 = call i8* inttoptr (i64 1 to i8* (i8*, i8*)*)(i8* noundef bitcast (%struct.anon* @knobs to i8*), i8* noundef nonnull %9) #3, !dbg !89
  %11 = bitcast i8* %10 to i32*, !dbg !89
  call void @llvm.dbg.value(metadata i32* %11, metadata !70, metadata !DIExpression()), !dbg !75
  %12 = icmp eq i8* %10, null, !dbg !90
  br i1 %12, label %27, label %13, !dbg !92

13:                                               ; preds = %1
  call void @llvm.dbg.value(metadata i32 1, metadata !69, metadata !DIExpression()), !dbg !75
  store i32 1, i32* %2, align 4, !dbg !93, !tbaa !88
  call void @llvm.dbg.value(metadata i32* %2, metadata !69, metadata !DIExpression(DW_OP_deref)), !dbg !75
  %14 = call i8* inttoptr (i64 1 to i8* (i8*, i8*)*)(i8* noundef bitcast (%struct.anon* @knobs to i8*), i8* noundef nonnull %9) #3, !dbg !94
  %15 = bitcast i8* %14 to i32*, !dbg !94
  call void @llvm.dbg.value(metadata i32* %15, metadata !71, metadata !DIExpression()), !dbg !75
  %16 = icmp eq i8* %14, null, !dbg !95
  br i1 %16, label %27, label %17, !dbg !97

17:                                               ; preds = %13
  %18 = sub nsw i64 %8, %5, !dbg !98
  call void @llvm.dbg.value(metadata i64 %18, metadata !72, metadata !DIExpression()), !dbg !75
  %19 = load i32, i32* %11, align 4, !dbg !99, !tbaa !88
  %20 = zext i32 %19 to i64, !dbg !99
  %21 = icmp ult i64 %18, %20, !dbg !100
  br i1 %21, label %27, label %22, !dbg !101

22:                                               ; preds = %17
  %23 = load i32, i32* %15, align 4, !dbg !102, !tbaa !88
  %24 = zext i32 %23 to i64, !dbg !102
  %25 = icmp ugt i64 %18, %24, !dbg !103
  %26 = select i1 %25, i32 1, i32 2, !dbg !101
  br label %27, !dbg !101

27:                                               ; preds = %13, %22, %17, %1
  %28 = phi i32 [ 0, %1 ], [ 0, %13 ], [ 1, %17 ], [ %26, %22 ], !dbg !75
  call void @llvm.lifetime.end.p0i8(i64 4, i8* nonnull %9) #3, !dbg !104
  ret i32 %28, !dbg !104
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
!llvm.module.flags = !{!48, !49, !50, !51}
!llvm.ident = !{!52}

!0 = !DIGlobalVariableExpression(var: !1, expr: !DIExpression())
!1 = distinct !DIGlobalVariable(name: "LICENSE", scope: !2, file: !3, line: 4, type: !46, isLocal: false, isDefinition: true)
!2 = distinct !DICompileUnit(language: DW_LANG_C99, file: !3, producer: "Debian clang version 14.0.6", isOptimized: true, runtimeVersion: 0, emissionKind: FullDebug, enums: !4, retainedTypes: !14, globals: !17, splitDebugInlining: false, nameTableKind: None)
!3 = !DIFile(filename: "constant_key_budget.c", directory: ".", checksumkind: CSK_MD5, checksum: "d390d07dc0daa925ec1e08d2e4d81b2b")
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
!19 = distinct !DIGlobalVariable(name: "knobs", scope: !2, file: !3, line: 6, type: !20, isLocal: false, isDefinition: true)
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
!30 = !DICompositeType(tag: DW_TAG_array_type, baseType: !25, size: 128, elements: !31)
!31 = !{!32}
!32 = !DISubrange(count: 4)
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
!46 = !DICompositeType(tag: DW_TAG_array_type, baseType: !47, size: 32, elements: !31)
!47 = !DIBasicType(name: "char", size: 8, encoding: DW_ATE_signed_char)
!48 = !{i32 7, !"Dwarf Version", i32 5}
!49 = !{i32 2, !"Debug Info Version", i32 3}
!50 = !{i32 1, !"wchar_size", i32 4}
!51 = !{i32 7, !"frame-pointer", i32 2}
!52 = !{!"Debian clang version 14.0.6"}
!53 = distinct !DISubprogram(name: "constant_key_budget", scope: !3, file: !3, line: 9, type: !54, scopeLine: 10, flags: DIFlagPrototyped | DIFlagAllCallsDescribed, spFlags: DISPFlagDefinition | DISPFlagOptimized, unit: !2, retainedNodes: !65)
!54 = !DISubroutineType(types: !55)
!55 = !{!25, !56}
!56 = !DIDerivedType(tag: DW_TAG_pointer_type, baseType: !57, size: 64)
!57 = distinct !DICompositeType(tag: DW_TAG_structure_type, name: "xdp_md", file: !6, line: 6100, size: 192, elements: !58)
!58 = !{!59, !60, !61, !62, !63, !64}
!59 = !DIDerivedType(tag: DW_TAG_member, name: "data", scope: !57, file: !6, line: 6101, baseType: !35, size: 32)
!60 = !DIDerivedType(tag: DW_TAG_member, name: "data_end", scope: !57, file: !6, line: 6102, baseType: !35, size: 32, offset: 32)
!61 = !DIDerivedType(tag: DW_TAG_member, name: "data_meta", scope: !57, file: !6, line: 6103, baseType: !35, size: 32, offset: 64)
!62 = !DIDerivedType(tag: DW_TAG_member, name: "ingress_ifindex", scope: !57, file: !6, line: 6105, baseType: !35, size: 32, offset: 96)
!63 = !DIDerivedType(tag: DW_TAG_member, name: "rx_queue_index", scope: !57, file: !6, line: 6106, baseType: !35, size: 32, offset: 128)
!64 = !DIDerivedType(tag: DW_TAG_member, name: "egress_ifindex", scope: !57, file: !6, line: 6108, baseType: !35, size: 32, offset: 160)
!65 = !{!66, !67, !68, !69, !70, !71, !72}
!66 = !DILocalVariable(name: "ctx", arg: 1, scope: !53, file: !3, line: 9, type: !56)
!67 = !DILocalVariable(name: "data", scope: !53, file: !3, line: 11, type: !15)
!68 = !DILocalVariable(name: "end", scope: !53, file: !3, line: 11, type: !15)
!69 = !DILocalVariable(name: "key", scope: !53, file: !3, line: 12, type: !35)
!70 = !DILocalVariable(name: "min", scope: !53, file: !3, line: 13, type: !34)
!71 = !DILocalVariable(name: "max", scope: !53, file: !3, line: 17, type: !34)
!72 = !DILocalVariable(name: "len", scope: !53, file: !3, line: 20, type: !73)
!73 = !DIDerivedType(tag: DW_TAG_typedef, name: "__u64", file: !36, line: 31, baseType: !74)
!74 = !DIBasicType(name: "unsigned long long", size: 64, encoding: DW_ATE_unsigned)
!75 = !DILocation(line: 0, scope: !53)
!76 = !DILocation(line: 11, column: 34, scope: !53)
!77 = !{!78, !79, i64 0}
!78 = !{!"xdp_md", !79, i64 0, !79, i64 4, !79, i64 8, !79, i64 12, !79, i64 16, !79, i64 20}
!79 = !{!"int", !80, i64 0}
!80 = !{!"omnipotent char", !81, i64 0}
!81 = !{!"Simple C/C++ TBAA"}
!82 = !DILocation(line: 11, column: 23, scope: !53)
!83 = !DILocation(line: 11, column: 66, scope: !53)
!84 = !{!78, !79, i64 4}
!85 = !DILocation(line: 11, column: 55, scope: !53)
!86 = !DILocation(line: 12, column: 2, scope: !53)
!87 = !DILocation(line: 12, column: 8, scope: !53)
!88 = !{!79, !79, i64 0}
!89 = !DILocation(line: 13, column: 15, scope: !53)
!90 = !DILocation(line: 14, column: 7, scope: !91)
!91 = distinct !DILexicalBlock(scope: !53, file: !3, line: 14, column: 6)
!92 = !DILocation(line: 14, column: 6, scope: !53)
!93 = !DILocation(line: 16, column: 6, scope: !53)
!94 = !DILocation(line: 17, column: 15, scope: !53)
!95 = !DILocation(line: 18, column: 7, scope: !96)
!96 = distinct !DILexicalBlock(scope: !53, file: !3, line: 18, column: 6)
!97 = !DILocation(line: 18, column: 6, scope: !53)
!98 = !DILocation(line: 20, column: 18, scope: !53)
!99 = !DILocation(line: 21, column: 15, scope: !53)
!100 = !DILocation(line: 21, column: 13, scope: !53)
!101 = !DILocation(line: 21, column: 20, scope: !53)
!102 = !DILocation(line: 21, column: 29, scope: !53)
!103 = !DILocation(line: 21, column: 27, scope: !53)
!104 = !DILocation(line: 22, column: 1, scope: !53)
