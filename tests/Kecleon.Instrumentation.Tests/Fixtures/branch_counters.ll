; ModuleID = 'branch_counters.c'
source_filename = "branch_counters.c"
target datalayout = "e-m:e-p:64:64-i64:64-i128:128-n32:64-S128"
target triple = "bpf"

%struct.xdp_md = type { i32, i32, i32, i32, i32, i32 }
%struct.ethhdr = type { [6 x i8], [6 x i8], i16 }

@LICENSE = dso_local global [4 x i8] c"GPL\00", section "license", align 1, !dbg !0
@llvm.compiler.used = appending global [2 x i8*] [i8* getelementptr inbounds ([4 x i8], [4 x i8]* @LICENSE, i32 0, i32 0), i8* bitcast (i32 (%struct.xdp_md*)* @branch_counters to i8*)], section "llvm.metadata"

; Function Attrs: nounwind
define dso_local i32 @branch_counters(%struct.xdp_md* nocapture noundef readonly %0) #0 section "xdp" !dbg !39 {
  call void @llvm.dbg.value(metadata %struct.xdp_md* %0, metadata !53, metadata !DIExpression()), !dbg !70
  %2 = getelementptr inbounds %struct.xdp_md, %struct.xdp_md* %0, i64 0, i32 0, !dbg !71
  %3 = load i32, i32* %2, align 4, !dbg !71, !tbaa !72
  %4 = zext i32 %3 to i64, !dbg !77
  call void @llvm.dbg.value(metadata i64 %4, metadata !54, metadata !DIExpression()), !dbg !70
  %5 = getelementptr inbounds %struct.xdp_md, %struct.xdp_md* %0, i64 0, i32 1, !dbg !78
  %6 = load i32, i32* %5, align 4, !dbg !78, !tbaa !79
  %7 = zext i32 %6 to i64, !dbg !80
  %8 = inttoptr i64 %7 to i8*, !dbg !81
  call void @llvm.dbg.value(metadata i8* %8, metadata !55, metadata !DIExpression()), !dbg !70
  %9 = inttoptr i64 %4 to %struct.ethhdr*, !dbg !82
  call void @llvm.dbg.value(metadata %struct.ethhdr* %9, metadata !56, metadata !DIExpression()), !dbg !70
  %10 = getelementptr inbounds %struct.ethhdr, %struct.ethhdr* %9, i64 1, i32 0, i64 0, !dbg !83
  %11 = icmp ugt i8* %10, %8, !dbg !85
  br i1 %11, label %25, label %12, !dbg !86

12:                                               ; preds = %1
  %13 = getelementptr inbounds %struct.ethhdr, %struct.ethhdr* %9, i64 0, i32 2, !dbg !87
  %14 = load i16, i16* %13, align 1, !dbg !87, !tbaa !89
  %15 = icmp eq i16 %14, 8, !dbg !92
  br i1 %15, label %21, label %16, !dbg !93

16:                                               ; preds = %12
  %17 = getelementptr inbounds %struct.ethhdr, %struct.ethhdr* %9, i64 0, i32 0, i64 0, !dbg !94
  %18 = load i8, i8* %17, align 1, !dbg !94, !tbaa !96
  %19 = and i8 %18, 1, !dbg !97
  %20 = icmp eq i8 %19, 0, !dbg !97
  br i1 %20, label %25, label %21, !dbg !98

21:                                               ; preds = %16, %12
  %22 = phi i32 [ 4, %12 ], [ 5, %16 ]
  %23 = tail call i64 inttoptr (i64 23 to i64 (i32, i64)*)(i32 noundef %22, i64 noundef 0) #2, !dbg !70
  %24 = trunc i64 %23 to i32, !dbg !70
  br label %25, !dbg !99

25:                                               ; preds = %21, %16, %1
  %26 = phi i32 [ 1, %1 ], [ 2, %16 ], [ %24, %21 ], !dbg !70
  ret i32 %26, !dbg !99
}

; Function Attrs: nofree nosync nounwind readnone speculatable willreturn
declare void @llvm.dbg.value(metadata, metadata, metadata) #1

attributes #0 = { nounwind "frame-pointer"="all" "min-legal-vector-width"="0" "no-trapping-math"="true" "stack-protector-buffer-size"="8" }
attributes #1 = { nofree nosync nounwind readnone speculatable willreturn }
attributes #2 = { nounwind }

!llvm.dbg.cu = !{!2}
!llvm.module.flags = !{!34, !35, !36, !37}
!llvm.ident = !{!38}

!0 = !DIGlobalVariableExpression(var: !1, expr: !DIExpression())
!1 = distinct !DIGlobalVariable(name: "LICENSE", scope: !2, file: !3, line: 8, type: !30, isLocal: false, isDefinition: true)
!2 = distinct !DICompileUnit(language: DW_LANG_C99, file: !3, producer: "Debian clang version 14.0.6", isOptimized: true, runtimeVersion: 0, emissionKind: FullDebug, enums: !4, retainedTypes: !14, globals: !20, splitDebugInlining: false, nameTableKind: None)
!3 = !DIFile(filename: "branch_counters.c", directory: ".", checksumkind: CSK_MD5, checksum: "09ebef827a6a4115e169dc40bedefa43")
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
!17 = !DIDerivedType(tag: DW_TAG_typedef, name: "__u16", file: !18, line: 24, baseType: !19)
!18 = !DIFile(filename: "/usr/include/asm-generic/int-ll64.h", directory: "", checksumkind: CSK_MD5, checksum: "b810f270733e106319b67ef512c6246e")
!19 = !DIBasicType(name: "unsigned short", size: 16, encoding: DW_ATE_unsigned)
!20 = !{!0, !21}
!21 = !DIGlobalVariableExpression(var: !22, expr: !DIExpression())
!22 = distinct !DIGlobalVariable(name: "bpf_redirect", scope: !2, file: !23, line: 619, type: !24, isLocal: true, isDefinition: true)
!23 = !DIFile(filename: "/usr/include/bpf/bpf_helper_defs.h", directory: "", checksumkind: CSK_MD5, checksum: "ba0039f6acc4710a5f4349e628ddfb60")
!24 = !DIDerivedType(tag: DW_TAG_pointer_type, baseType: !25, size: 64)
!25 = !DISubroutineType(types: !26)
!26 = !{!16, !27, !28}
!27 = !DIDerivedType(tag: DW_TAG_typedef, name: "__u32", file: !18, line: 27, baseType: !7)
!28 = !DIDerivedType(tag: DW_TAG_typedef, name: "__u64", file: !18, line: 31, baseType: !29)
!29 = !DIBasicType(name: "unsigned long long", size: 64, encoding: DW_ATE_unsigned)
!30 = !DICompositeType(tag: DW_TAG_array_type, baseType: !31, size: 32, elements: !32)
!31 = !DIBasicType(name: "char", size: 8, encoding: DW_ATE_signed_char)
!32 = !{!33}
!33 = !DISubrange(count: 4)
!34 = !{i32 7, !"Dwarf Version", i32 5}
!35 = !{i32 2, !"Debug Info Version", i32 3}
!36 = !{i32 1, !"wchar_size", i32 4}
!37 = !{i32 7, !"frame-pointer", i32 2}
!38 = !{!"Debian clang version 14.0.6"}
!39 = distinct !DISubprogram(name: "branch_counters", scope: !3, file: !3, line: 11, type: !40, scopeLine: 12, flags: DIFlagPrototyped | DIFlagAllCallsDescribed, spFlags: DISPFlagDefinition | DISPFlagOptimized, unit: !2, retainedNodes: !52)
!40 = !DISubroutineType(types: !41)
!41 = !{!42, !43}
!42 = !DIBasicType(name: "int", size: 32, encoding: DW_ATE_signed)
!43 = !DIDerivedType(tag: DW_TAG_pointer_type, baseType: !44, size: 64)
!44 = distinct !DICompositeType(tag: DW_TAG_structure_type, name: "xdp_md", file: !6, line: 6100, size: 192, elements: !45)
!45 = !{!46, !47, !48, !49, !50, !51}
!46 = !DIDerivedType(tag: DW_TAG_member, name: "data", scope: !44, file: !6, line: 6101, baseType: !27, size: 32)
!47 = !DIDerivedType(tag: DW_TAG_member, name: "data_end", scope: !44, file: !6, line: 6102, baseType: !27, size: 32, offset: 32)
!48 = !DIDerivedType(tag: DW_TAG_member, name: "data_meta", scope: !44, file: !6, line: 6103, baseType: !27, size: 32, offset: 64)
!49 = !DIDerivedType(tag: DW_TAG_member, name: "ingress_ifindex", scope: !44, file: !6, line: 6105, baseType: !27, size: 32, offset: 96)
!50 = !DIDerivedType(tag: DW_TAG_member, name: "rx_queue_index", scope: !44, file: !6, line: 6106, baseType: !27, size: 32, offset: 128)
!51 = !DIDerivedType(tag: DW_TAG_member, name: "egress_ifindex", scope: !44, file: !6, line: 6108, baseType: !27, size: 32, offset: 160)
!52 = !{!53, !54, !55, !56}
!53 = !DILocalVariable(name: "ctx", arg: 1, scope: !39, file: !3, line: 11, type: !43)
!54 = !DILocalVariable(name: "data", scope: !39, file: !3, line: 13, type: !15)
!55 = !DILocalVariable(name: "end", scope: !39, file: !3, line: 13, type: !15)
!56 = !DILocalVariable(name: "eth", scope: !39, file: !3, line: 14, type: !57)
!57 = !DIDerivedType(tag: DW_TAG_pointer_type, baseType: !58, size: 64)
!58 = distinct !DICompositeType(tag: DW_TAG_structure_type, name: "ethhdr", file: !59, line: 173, size: 112, elements: !60)
!59 = !DIFile(filename: "/usr/include/linux/if_ether.h", directory: "", checksumkind: CSK_MD5, checksum: "163f54fb1af2e21fea410f14eb18fa76")
!60 = !{!61, !66, !67}
!61 = !DIDerivedType(tag: DW_TAG_member, name: "h_dest", scope: !58, file: !59, line: 174, baseType: !62, size: 48)
!62 = !DICompositeType(tag: DW_TAG_array_type, baseType: !63, size: 48, elements: !64)
!63 = !DIBasicType(name: "unsigned char", size: 8, encoding: DW_ATE_unsigned_char)
!64 = !{!65}
!65 = !DISubrange(count: 6)
!66 = !DIDerivedType(tag: DW_TAG_member, name: "h_source", scope: !58, file: !59, line: 175, baseType: !62, size: 48, offset: 48)
!67 = !DIDerivedType(tag: DW_TAG_member, name: "h_proto", scope: !58, file: !59, line: 176, baseType: !68, size: 16, offset: 96)
!68 = !DIDerivedType(tag: DW_TAG_typedef, name: "__be16", file: !69, line: 28, baseType: !17)
!69 = !DIFile(filename: "/usr/include/linux/types.h", directory: "", checksumkind: CSK_MD5, checksum: "a82ae197a4533c0fa7d08f3ccc99ef94")
!70 = !DILocation(line: 0, scope: !39)
!71 = !DILocation(line: 13, column: 34, scope: !39)
!72 = !{!73, !74, i64 0}
!73 = !{!"xdp_md", !74, i64 0, !74, i64 4, !74, i64 8, !74, i64 12, !74, i64 16, !74, i64 20}
!74 = !{!"int", !75, i64 0}
!75 = !{!"omnipotent char", !76, i64 0}
!76 = !{!"Simple C/C++ TBAA"}
!77 = !DILocation(line: 13, column: 23, scope: !39)
!78 = !DILocation(line: 13, column: 66, scope: !39)
!79 = !{!73, !74, i64 4}
!80 = !DILocation(line: 13, column: 55, scope: !39)
!81 = !DILocation(line: 13, column: 47, scope: !39)
!82 = !DILocation(line: 14, column: 23, scope: !39)
!83 = !DILocation(line: 15, column: 6, scope: !84)
!84 = distinct !DILexicalBlock(scope: !39, file: !3, line: 15, column: 6)
!85 = !DILocation(line: 15, column: 24, scope: !84)
!86 = !DILocation(line: 15, column: 6, scope: !39)
!87 = !DILocation(line: 17, column: 11, scope: !88)
!88 = distinct !DILexicalBlock(scope: !39, file: !3, line: 17, column: 6)
!89 = !{!90, !91, i64 12}
!90 = !{!"ethhdr", !75, i64 0, !75, i64 6, !91, i64 12}
!91 = !{!"short", !75, i64 0}
!92 = !DILocation(line: 17, column: 19, scope: !88)
!93 = !DILocation(line: 17, column: 6, scope: !39)
!94 = !DILocation(line: 19, column: 6, scope: !95)
!95 = distinct !DILexicalBlock(scope: !39, file: !3, line: 19, column: 6)
!96 = !{!75, !75, i64 0}
!97 = !DILocation(line: 19, column: 21, scope: !95)
!98 = !DILocation(line: 19, column: 6, scope: !39)
!99 = !DILocation(line: 22, column: 1, scope: !39)
