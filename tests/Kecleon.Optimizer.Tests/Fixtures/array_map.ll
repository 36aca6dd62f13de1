; ModuleID = 'array_map.c'
source_filename = "array_map.c"
target datalayout = "e-m:e-p:64:64-i64:64-i128:128-n32:64-S128"
target triple = "bpf"

%struct.anon = type { [2 x i32]*, [8 x i32]*, i32*, i32* }
%struct.xdp_md = type { i32, i32, i32, i32, i32, i32 }

@LICENSE = dso_local global [4 x i8] c"GPL\00", section "license", align 1, !dbg !0
@config = dso_local global %struct.anon zeroinitializer, section ".maps", align 8, !dbg !22
@llvm.compiler.used = appending global [3 x i8*] [i8* getelementptr inbounds ([4 x i8], [4 x i8]* @LICENSE, i32 0, i32 0), i8* bitcast (i32 (%struct.xdp_md*)* @array_map to i8*), i8* bitcast (%struct.anon* @config to i8*)], section "llvm.metadata"

; Function Attrs: nounwind
define dso_local i32 @array_map(%struct.xdp_md* nocapture noundef readonly %0) #0 section "xdp" !dbg !58 {
  %2 = alloca i32, align 4
  call void @llvm.dbg.value(metadata %struct.xdp_md* %0, metadata !71, metadata !DIExpression()), !dbg !76
  %3 = getelementptr inbounds %struct.xdp_md, %struct.xdp_md* %0, i64 0, i32 0, !dbg !77
  %4 = load i32, i32* %3, align 4, !dbg !77, !tbaa !78
  %5 = zext i32 %4 to i64, !dbg !83
  %6 = inttoptr i64 %5 to i8*, !dbg !84
  call void @llvm.dbg.value(metadata i8* %6, metadata !72, metadata !DIExpression()), !dbg !76
  %7 = getelementptr inbounds %struct.xdp_md, %struct.xdp_md* %0, i64 0, i32 1, !dbg !85
  %8 = load i32, i32* %7, align 4, !dbg !85, !tbaa !86
  %9 = zext i32 %8 to i64, !dbg !87
  %10 = inttoptr i64 %9 to i8*, !dbg !88
  call void @llvm.dbg.value(metadata i8* %10, metadata !73, metadata !DIExpression()), !dbg !76
  %11 = getelementptr i8, i8* %6, i64 1, !dbg !89
  %12 = icmp ugt i8* %11, %10, !dbg !91
  br i1 %12, label %27, label %13, !dbg !92

13:                                               ; preds = %1
  %14 = bitcast i32* %2 to i8*, !dbg !93
  call void @llvm.lifetime.start.p0i8(i64 4, i8* nonnull %14) #3, !dbg !93
  %15 = load i8, i8* %6, align 1, !dbg !94, !tbaa !95
  %16 = and i8 %15, 7, !dbg !96
  %17 = zext i8 %16 to i32, !dbg !96
  call void @llvm.dbg.value(metadata i32 %17, metadata !74, metadata !DIExpression()), !dbg !76
  store i32 %17, i32* %2, align 4, !dbg !97, !tbaa !98
  call void @llvm.dbg.value(metadata i32* %2, metadata !74, metadata !DIExpression(DW_OP_deref)), !dbg !76
  %18 = call i8* inttoptr (i64 1 to i8* (i8*, i8*)*)(i8* noundef bitcast (%struct.anon* @config to i8*), i8* noundef nonnull %14) #3, !dbg !99
  call void @llvm.dbg.value(metadata i8* %18, metadata !75, metadata !DIExpression()), !dbg !76
  %19 = icmp eq i8* %18, null, !dbg !100
  br i1 %19, label %25, label %20, !dbg !102

20:                                               ; preds = %13
  %21 = bitcast i8* %18 to i32*, !dbg !99
  call void @llvm.dbg.value(metadata i32* %21, metadata !75, metadata !DIExpression()), !dbg !76
  %22 = load i32, i32* %21, align 4, !dbg !103, !tbaa !98
  %23 = icmp eq i32 %22, 1, !dbg !104
  %24 = select i1 %23, i32 1, i32 2, !dbg !103
  br label %25, !dbg !105

25:                                               ; preds = %13, %20
  %26 = phi i32 [ %24, %20 ], [ 0, %13 ], !dbg !76
  call void @llvm.lifetime.end.p0i8(i64 4, i8* nonnull %14) #3, !dbg !106
  br label %27

27:                                               ; preds = %1, %25
  %28 = phi i32 [ %26, %25 ], [ 0, %1 ], !dbg !76
  ret i32 %28, !dbg !106
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
!llvm.module.flags = !{!53, !54, !55, !56}
!llvm.ident = !{!57}

!0 = !DIGlobalVariableExpression(var: !1, expr: !DIExpression())
!1 = distinct !DIGlobalVariable(name: "LICENSE", scope: !2, file: !3, line: 7, type: !49, isLocal: false, isDefinition: true)
!2 = distinct !DICompileUnit(language: DW_LANG_C99, file: !3, producer: "Debian clang version 14.0.6", isOptimized: true, runtimeVersion: 0, emissionKind: FullDebug, enums: !4, retainedTypes: !14, globals: !21, splitDebugInlining: false, nameTableKind: None)
!3 = !DIFile(filename: "array_map.c", directory: ".", checksumkind: CSK_MD5, checksum: "b7b99e2e3dbf926792431d7c7c9663c4")
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
!14 = !{!15, !16, !17}
!15 = !DIDerivedType(tag: DW_TAG_pointer_type, baseType: null, size: 64)
!16 = !DIBasicType(name: "long", size: 64, encoding: DW_ATE_signed)
!17 = !DIDerivedType(tag: DW_TAG_pointer_type, baseType: !18, size: 64)
!18 = !DIDerivedType(tag: DW_TAG_typedef, name: "__u8", file: !19, line: 21, baseType: !20)
!19 = !DIFile(filename: "/usr/include/asm-generic/int-ll64.h", directory: "", checksumkind: CSK_MD5, checksum: "b810f270733e106319b67ef512c6246e")
!20 = !DIBasicType(name: "unsigned char", size: 8, encoding: DW_ATE_unsigned_char)
!21 = !{!0, !22, !41}
!22 = !DIGlobalVariableExpression(var: !23, expr: !DIExpression())
!23 = distinct !DIGlobalVariable(name: "config", scope: !2, file: !3, line: 9, type: !24, isLocal: false, isDefinition: true)
!24 = distinct !DICompositeType(tag: DW_TAG_structure_type, file: !3, line: 9, size: 256, elements: !25)
!25 = !{!26, !32, !37, !40}
!26 = !DIDerivedType(tag: DW_TAG_member, name: "type", scope: !24, file: !3, line: 9, baseType: !27, size: 64)
!27 = !DIDerivedType(tag: DW_TAG_pointer_type, baseType: !28, size: 64)
!28 = !DICompositeType(tag: DW_TAG_array_type, baseType: !29, size: 64, elements: !30)
!29 = !DIBasicType(name: "int", size: 32, encoding: DW_ATE_signed)
!30 = !{!31}
!31 = !DISubrange(count: 2)
!32 = !DIDerivedType(tag: DW_TAG_member, name: "max_entries", scope: !24, file: !3, line: 9, baseType: !33, size: 64, offset: 64)
!33 = !DIDerivedType(tag: DW_TAG_pointer_type, baseType: !34, size: 64)
!34 = !DICompositeType(tag: DW_TAG_array_type, baseType: !29, size: 256, elements: !35)
!35 = !{!36}
!36 = !DISubrange(count: 8)
!37 = !DIDerivedType(tag: DW_TAG_member, name: "key", scope: !24, file: !3, line: 9, baseType: !38, size: 64, offset: 128)
!38 = !DIDerivedType(tag: DW_TAG_pointer_type, baseType: !39, size: 64)
!39 = !DIDerivedType(tag: DW_TAG_typedef, name: "__u32", file: !19, line: 27, baseType: !7)
!40 = !DIDerivedType(tag: DW_TAG_member, name: "value", scope: !24, file: !3, line: 9, baseType: !38, size: 64, offset: 192)
!41 = !DIGlobalVariableExpression(var: !42, expr: !DIExpression())
!42 = distinct !DIGlobalVariable(name: "bpf_map_lookup_elem", scope: !2, file: !43, line: 56, type: !44, isLocal: true, isDefinition: true)
!43 = !DIFile(filename: "/usr/include/bpf/bpf_helper_defs.h", directory: "", checksumkind: CSK_MD5, checksum: "ba0039f6acc4710a5f4349e628ddfb60")
!44 = !DIDerivedType(tag: DW_TAG_pointer_type, baseType: !45, size: 64)
!45 = !DISubroutineType(types: !46)
!46 = !{!15, !15, !47}
!47 = !DIDerivedType(tag: DW_TAG_pointer_type, baseType: !48, size: 64)
!48 = !DIDerivedType(tag: DW_TAG_const_type, baseType: null)
!49 = !DICompositeType(tag: DW_TAG_array_type, baseType: !50, size: 32, elements: !51)
!50 = !DIBasicType(name: "char", size: 8, encoding: DW_ATE_signed_char)
!51 = !{!52}
!52 = !DISubrange(count: 4)
!53 = !{i32 7, !"Dwarf Version", i32 5}
!54 = !{i32 2, !"Debug Info Version", i32 3}
!55 = !{i32 1, !"wchar_size", i32 4}
!56 = !{i32 7, !"frame-pointer", i32 2}
!57 = !{!"Debian clang version 14.0.6"}
!58 = distinct !DISubprogram(name: "array_map", scope: !3, file: !3, line: 12, type: !59, scopeLine: 13, flags: DIFlagPrototyped | DIFlagAllCallsDescribed, spFlags: DISPFlagDefinition | DISPFlagOptimized, unit: !2, retainedNodes: !70)
!59 = !DISubroutineType(types: !60)
!60 = !{!29, !61}
!61 = !DIDerivedType(tag: DW_TAG_pointer_type, baseType: !62, size: 64)
!62 = distinct !DICompositeType(tag: DW_TAG_structure_type, name: "xdp_md", file: !6, line: 6100, size: 192, elements: !63)
!63 = !{!64, !65, !66, !67, !68, !69}
!64 = !DIDerivedType(tag: DW_TAG_member, name: "data", scope: !62, file: !6, line: 6101, baseType: !39, size: 32)
!65 = !DIDerivedType(tag: DW_TAG_member, name: "data_end", scope: !62, file: !6, line: 6102, baseType: !39, size: 32, offset: 32)
!66 = !DIDerivedType(tag: DW_TAG_member, name: "data_meta", scope: !62, file: !6, line: 6103, baseType: !39, size: 32, offset: 64)
!67 = !DIDerivedType(tag: DW_TAG_member, name: "ingress_ifindex", scope: !62, file: !6, line: 6105, baseType: !39, size: 32, offset: 96)
!68 = !DIDerivedType(tag: DW_TAG_member, name: "rx_queue_index", scope: !62, file: !6, line: 6106, baseType: !39, size: 32, offset: 128)
!69 = !DIDerivedType(tag: DW_TAG_member, name: "egress_ifindex", scope: !62, file: !6, line: 6108, baseType: !39, size: 32, offset: 160)
!70 = !{!71, !72, !73, !74, !75}
!71 = !DILocalVariable(name: "ctx", arg: 1, scope: !58, file: !3, line: 12, type: !61)
!72 = !DILocalVariable(name: "data", scope: !58, file: !3, line: 14, type: !15)
!73 = !DILocalVariable(name: "end", scope: !58, file: !3, line: 14, type: !15)
!74 = !DILocalVariable(name: "key", scope: !58, file: !3, line: 17, type: !39)
!75 = !DILocalVariable(name: "mode", scope: !58, file: !3, line: 18, type: !38)
!76 = !DILocation(line: 0, scope: !58)
!77 = !DILocation(line: 14, column: 34, scope: !58)
!78 = !{!79, !80, i64 0}
!79 = !{!"xdp_md", !80, i64 0, !80, i64 4, !80, i64 8, !80, i64 12, !80, i64 16, !80, i64 20}
!80 = !{!"int", !81, i64 0}
!81 = !{!"omnipotent char", !82, i64 0}
!82 = !{!"Simple C/C++ TBAA"}
!83 = !DILocation(line: 14, column: 23, scope: !58)
!84 = !DILocation(line: 14, column: 15, scope: !58)
!85 = !DILocation(line: 14, column: 66, scope: !58)
!86 = !{!79, !80, i64 4}
!87 = !DILocation(line: 14, column: 55, scope: !58)
!88 = !DILocation(line: 14, column: 47, scope: !58)
!89 = !DILocation(line: 15, column: 11, scope: !90)
!90 = distinct !DILexicalBlock(scope: !58, file: !3, line: 15, column: 6)
!91 = !DILocation(line: 15, column: 15, scope: !90)
!92 = !DILocation(line: 15, column: 6, scope: !58)
!93 = !DILocation(line: 17, column: 2, scope: !58)
!94 = !DILocation(line: 17, column: 14, scope: !58)
!95 = !{!81, !81, i64 0}
!96 = !DILocation(line: 17, column: 28, scope: !58)
!97 = !DILocation(line: 17, column: 8, scope: !58)
!98 = !{!80, !80, i64 0}
!99 = !DILocation(line: 18, column: 16, scope: !58)
!100 = !DILocation(line: 19, column: 7, scope: !101)
!101 = distinct !DILexicalBlock(scope: !58, file: !3, line: 19, column: 6)
!102 = !DILocation(line: 19, column: 6, scope: !58)
!103 = !DILocation(line: 21, column: 9, scope: !58)
!104 = !DILocation(line: 21, column: 15, scope: !58)
!105 = !DILocation(line: 21, column: 2, scope: !58)
!106 = !DILocation(line: 22, column: 1, scope: !58)
