; ModuleID = 'per_key.c'
source_filename = "per_key.c"
target datalayout = "e-m:e-p:64:64-i64:64-i128:128-n32:64-S128"
target triple = "bpf"

%struct.anon = type { [2 x i32]*, [2 x i32]*, i32*, i32* }
%struct.anon.0 = type { [2 x i32]*, [1 x i32]*, i32*, %struct.conf* }
%struct.conf = type { i32, i32, i64 }
%struct.xdp_md = type { i32, i32, i32, i32, i32, i32 }
%struct.ethhdr = type { [6 x i8], [6 x i8], i16 }

@LICENSE = dso_local global [4 x i8] c"GPL\00", section "license", align 1, !dbg !0
@values = dso_local global %struct.anon zeroinitializer, section ".maps", align 8, !dbg !21
@conf = dso_local global %struct.anon.0 zeroinitializer, section ".maps", align 8, !dbg !36
@llvm.compiler.used = appending global [4 x i8*] [i8* getelementptr inbounds ([4 x i8], [4 x i8]* @LICENSE, i32 0, i32 0), i8* bitcast (%struct.anon.0* @conf to i8*), i8* bitcast (i32 (%struct.xdp_md*)* @per_key to i8*), i8* bitcast (%struct.anon* @values to i8*)], section "llvm.metadata"

; Function Attrs: nounwind
define dso_local i32 @per_key(%struct.xdp_md* nocapture noundef readonly %0) #0 section "xdp" !dbg !73 {
  %2 = alloca i32, align 4
  %3 = alloca i32, align 4
  %4 = alloca i32, align 4
  call void @llvm.dbg.value(metadata %struct.xdp_md* %0, metadata !86, metadata !DIExpression()), !dbg !109
  %5 = getelementptr inbounds %struct.xdp_md, %struct.xdp_md* %0, i64 0, i32 0, !dbg !110
  %6 = load i32, i32* %5, align 4, !dbg !110, !tbaa !111
  %7 = zext i32 %6 to i64, !dbg !116
  call void @llvm.dbg.value(metadata i64 %7, metadata !87, metadata !DIExpression()), !dbg !109
  %8 = getelementptr inbounds %struct.xdp_md, %struct.xdp_md* %0, i64 0, i32 1, !dbg !117
  %9 = load i32, i32* %8, align 4, !dbg !117, !tbaa !118
  %10 = zext i32 %9 to i64, !dbg !119
  %11 = inttoptr i64 %10 to i8*, !dbg !120
  call void @llvm.dbg.value(metadata i8* %11, metadata !88, metadata !DIExpression()), !dbg !109
  %12 = inttoptr i64 %7 to %struct.ethhdr*, !dbg !121
  call void @llvm.dbg.value(metadata %struct.ethhdr* %12, metadata !89, metadata !DIExpression()), !dbg !109
  %13 = bitcast i32* %2 to i8*, !dbg !122
  call void @llvm.lifetime.start.p0i8(i64 4, i8* nonnull %13) #3, !dbg !122
  call void @llvm.dbg.value(metadata i32 0, metadata !103, metadata !DIExpression()), !dbg !109
  store i32 0, i32* %2, align 4, !dbg !123, !tbaa !124
  %14 = bitcast i32* %3 to i8*, !dbg !122
  call void @llvm.lifetime.start.p0i8(i64 4, i8* nonnull %14) #3, !dbg !122
  call void @llvm.dbg.value(metadata i32 1, metadata !104, metadata !DIExpression()), !dbg !109
  store i32 1, i32* %3, align 4, !dbg !125, !tbaa !124
  %15 = bitcast i32* %4 to i8*, !dbg !122
  call void @llvm.lifetime.start.p0i8(i64 4, i8* nonnull %15) #3, !dbg !122
  call void @llvm.dbg.value(metadata i32 0, metadata !105, metadata !DIExpression()), !dbg !109
  store i32 0, i32* %4, align 4, !dbg !126, !tbaa !124
  %16 = getelementptr inbounds %struct.ethhdr, %struct.ethhdr* %12, i64 1, i32 0, i64 0, !dbg !127
  %17 = icmp ugt i8* %16, %11, !dbg !129
  br i1 %17, label %50, label %18, !dbg !130

18:                                               ; preds = %1
  call void @llvm.dbg.value(metadata i32* %3, metadata !104, metadata !DIExpression(DW_OP_deref)), !dbg !109
  %19 = call i8* inttoptr (i64 1 to i8* (i8*, i8*)*)(i8* noundef bitcast (%struct.anon* @values to i8*), i8* noundef nonnull %14) #3, !dbg !131
  call void @llvm.dbg.value(metadata i8* %19, metadata !106, metadata !DIExpression()), !dbg !109
  %20 = icmp eq i8* %19, null, !dbg !132
  br i1 %20, label %24, label %21, !dbg !134

21:                                               ; preds = %18
  %22 = bitcast i8* %19 to i32*, !dbg !131
  call void @llvm.dbg.value(metadata i32* %22, metadata !106, metadata !DIExpression()), !dbg !109
  %23 = atomicrmw add i32* %22, i32 1 seq_cst, align 4, !dbg !135
  br label %24, !dbg !135

24:                                               ; preds = %21, %18
  call void @llvm.dbg.value(metadata i32* %4, metadata !105, metadata !DIExpression(DW_OP_deref)), !dbg !109
  %25 = call i8* inttoptr (i64 1 to i8* (i8*, i8*)*)(i8* noundef bitcast (%struct.anon.0* @conf to i8*), i8* noundef nonnull %15) #3, !dbg !136
  call void @llvm.dbg.value(metadata i8* %25, metadata !107, metadata !DIExpression()), !dbg !109
  %26 = icmp eq i8* %25, null, !dbg !137
  br i1 %26, label %50, label %27, !dbg !139

27:                                               ; preds = %24
  %28 = getelementptr inbounds i8, i8* %25, i64 8, !dbg !140
  %29 = bitcast i8* %28 to i64*, !dbg !140
  %30 = atomicrmw add i64* %29, i64 1 seq_cst, align 8, !dbg !141
  call void @llvm.dbg.value(metadata i32* %2, metadata !103, metadata !DIExpression(DW_OP_deref)), !dbg !109
  %31 = call i8* inttoptr (i64 1 to i8* (i8*, i8*)*)(i8* noundef bitcast (%struct.anon* @values to i8*), i8* noundef nonnull %13) #3, !dbg !142
  call void @llvm.dbg.value(metadata i8* %31, metadata !108, metadata !DIExpression()), !dbg !109
  %32 = icmp eq i8* %31, null, !dbg !143
  br i1 %32, label %50, label %33, !dbg !145

33:                                               ; preds = %27
  %34 = bitcast i8* %31 to i32*, !dbg !142
  call void @llvm.dbg.value(metadata i32* %34, metadata !108, metadata !DIExpression()), !dbg !109
  %35 = load i32, i32* %34, align 4, !dbg !146, !tbaa !124
  %36 = icmp eq i32 %35, 1, !dbg !148
  br i1 %36, label %37, label %41, !dbg !149

37:                                               ; preds = %33
  %38 = getelementptr inbounds %struct.ethhdr, %struct.ethhdr* %12, i64 0, i32 2, !dbg !150
  %39 = load i16, i16* %38, align 1, !dbg !150, !tbaa !151
  %40 = icmp eq i16 %39, -8826, !dbg !154
  br i1 %40, label %50, label %41, !dbg !155

41:                                               ; preds = %37, %33
  %42 = bitcast i8* %25 to i32*, !dbg !156
  %43 = load i32, i32* %42, align 8, !dbg !156, !tbaa !157
  %44 = icmp eq i32 %43, 2, !dbg !160
  br i1 %44, label %45, label %50, !dbg !161

45:                                               ; preds = %41
  %46 = getelementptr inbounds %struct.ethhdr, %struct.ethhdr* %12, i64 0, i32 2, !dbg !162
  %47 = load i16, i16* %46, align 1, !dbg !162, !tbaa !151
  %48 = icmp eq i16 %47, 1544, !dbg !163
  %49 = select i1 %48, i32 1, i32 2
  br label %50

50:                                               ; preds = %24, %41, %45, %37, %27, %1
  %51 = phi i32 [ 0, %1 ], [ 0, %24 ], [ 0, %27 ], [ 1, %37 ], [ 2, %41 ], [ %49, %45 ], !dbg !109
  call void @llvm.lifetime.end.p0i8(i64 4, i8* nonnull %15) #3, !dbg !164
  call void @llvm.lifetime.end.p0i8(i64 4, i8* nonnull %14) #3, !dbg !164
  call void @llvm.lifetime.end.p0i8(i64 4, i8* nonnull %13) #3, !dbg !164
  ret i32 %51, !dbg !164
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
!llvm.module.flags = !{!68, !69, !70, !71}
!llvm.ident = !{!72}

!0 = !DIGlobalVariableExpression(var: !1, expr: !DIExpression())
!1 = distinct !DIGlobalVariable(name: "LICENSE", scope: !2, file: !3, line: 8, type: !64, isLocal: false, isDefinition: true)
!2 = distinct !DICompileUnit(language: DW_LANG_C99, file: !3, producer: "Debian clang version 14.0.6", isOptimized: true, runtimeVersion: 0, emissionKind: FullDebug, enums: !4, retainedTypes: !14, globals: !20, splitDebugInlining: false, nameTableKind: None)
!3 = !DIFile(filename: "per_key.c", directory: ".", checksumkind: CSK_MD5, checksum: "9c559f66ccf0812d8812eaf1a7742c3e")
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
!20 = !{!0, !21, !36, !56}
!21 = !DIGlobalVariableExpression(var: !22, expr: !DIExpression())
!22 = distinct !DIGlobalVariable(name: "values", scope: !2, file: !3, line: 10, type: !23, isLocal: false, isDefinition: true)
!23 = distinct !DICompositeType(tag: DW_TAG_structure_type, file: !3, line: 10, size: 256, elements: !24)
!24 = !{!25, !31, !32, !35}
!25 = !DIDerivedType(tag: DW_TAG_member, name: "type", scope: !23, file: !3, line: 10, baseType: !26, size: 64)
!26 = !DIDerivedType(tag: DW_TAG_pointer_type, baseType: !27, size: 64)
!27 = !DICompositeType(tag: DW_TAG_array_type, baseType: !28, size: 64, elements: !29)
!28 = !DIBasicType(name: "int", size: 32, encoding: DW_ATE_signed)
!29 = !{!30}
!30 = !DISubrange(count: 2)
!31 = !DIDerivedType(tag: DW_TAG_member, name: "max_entries", scope: !23, file: !3, line: 10, baseType: !26, size: 64, offset: 64)
!32 = !DIDerivedType(tag: DW_TAG_member, name: "key", scope: !23, file: !3, line: 10, baseType: !33, size: 64, offset: 128)
!33 = !DIDerivedType(tag: DW_TAG_pointer_type, baseType: !34, size: 64)
!34 = !DIDerivedType(tag: DW_TAG_typedef, name: "__u32", file: !18, line: 27, baseType: !7)
!35 = !DIDerivedType(tag: DW_TAG_member, name: "value", scope: !23, file: !3, line: 10, baseType: !33, size: 64, offset: 192)
!36 = !DIGlobalVariableExpression(var: !37, expr: !DIExpression())
!37 = distinct !DIGlobalVariable(name: "conf", scope: !2, file: !3, line: 12, type: !38, isLocal: false, isDefinition: true)
!38 = distinct !DICompositeType(tag: DW_TAG_structure_type, file: !3, line: 12, size: 256, elements: !39)
!39 = !{!40, !41, !46, !47}
!40 = !DIDerivedType(tag: DW_TAG_member, name: "type", scope: !38, file: !3, line: 12, baseType: !26, size: 64)
!41 = !DIDerivedType(tag: DW_TAG_member, name: "max_entries", scope: !38, file: !3, line: 12, baseType: !42, size: 64, offset: 64)
!42 = !DIDerivedType(tag: DW_TAG_pointer_type, baseType: !43, size: 64)
!43 = !DICompositeType(tag: DW_TAG_array_type, baseType: !28, size: 32, elements: !44)
!44 = !{!45}
!45 = !DISubrange(count: 1)
!46 = !DIDerivedType(tag: DW_TAG_member, name: "key", scope: !38, file: !3, line: 12, baseType: !33, size: 64, offset: 128)
!47 = !DIDerivedType(tag: DW_TAG_member, name: "value", scope: !38, file: !3, line: 12, baseType: !48, size: 64, offset: 192)
!48 = !DIDerivedType(tag: DW_TAG_pointer_type, baseType: !49, size: 64)
!49 = distinct !DICompositeType(tag: DW_TAG_structure_type, name: "conf", file: !3, line: 11, size: 128, elements: !50)
!50 = !{!51, !52, !53}
!51 = !DIDerivedType(tag: DW_TAG_member, name: "mode", scope: !49, file: !3, line: 11, baseType: !34, size: 32)
!52 = !DIDerivedType(tag: DW_TAG_member, name: "reserved", scope: !49, file: !3, line: 11, baseType: !34, size: 32, offset: 32)
!53 = !DIDerivedType(tag: DW_TAG_member, name: "hits", scope: !49, file: !3, line: 11, baseType: !54, size: 64, offset: 64)
!54 = !DIDerivedType(tag: DW_TAG_typedef, name: "__u64", file: !18, line: 31, baseType: !55)
!55 = !DIBasicType(name: "unsigned long long", size: 64, encoding: DW_ATE_unsigned)
!56 = !DIGlobalVariableExpression(var: !57, expr: !DIExpression())
!57 = distinct !DIGlobalVariable(name: "bpf_map_lookup_elem", scope: !2, file: !58, line: 56, type: !59, isLocal: true, isDefinition: true)
!58 = !DIFile(filename: "/usr/include/bpf/bpf_helper_defs.h", directory: "", checksumkind: CSK_MD5, checksum: "ba0039f6acc4710a5f4349e628ddfb60")
!59 = !DIDerivedType(tag: DW_TAG_pointer_type, baseType: !60, size: 64)
!60 = !DISubroutineType(types: !61)
!61 = !{!15, !15, !62}
!62 = !DIDerivedType(tag: DW_TAG_pointer_type, baseType: !63, size: 64)
!63 = !DIDerivedType(tag: DW_TAG_const_type, baseType: null)
!64 = !DICompositeType(tag: DW_TAG_array_type, baseType: !65, size: 32, elements: !66)
!65 = !DIBasicType(name: "char", size: 8, encoding: DW_ATE_signed_char)
!66 = !{!67}
!67 = !DISubrange(count: 4)
!68 = !{i32 7, !"Dwarf Version", i32 5}
!69 = !{i32 2, !"Debug Info Version", i32 3}
!70 = !{i32 1, !"wchar_size", i32 4}
!71 = !{i32 7, !"frame-pointer", i32 2}
!72 = !{!"Debian clang version 14.0.6"}
!73 = distinct !DISubprogram(name: "per_key", scope: !3, file: !3, line: 15, type: !74, scopeLine: 16, flags: DIFlagPrototyped | DIFlagAllCallsDescribed, spFlags: DISPFlagDefinition | DISPFlagOptimized, unit: !2, retainedNodes: !85)
!74 = !DISubroutineType(types: !75)
!75 = !{!28, !76}
!76 = !DIDerivedType(tag: DW_TAG_pointer_type, baseType: !77, size: 64)
!77 = distinct !DICompositeType(tag: DW_TAG_structure_type, name: "xdp_md", file: !6, line: 6100, size: 192, elements: !78)
!78 = !{!79, !80, !81, !82, !83, !84}
!79 = !DIDerivedType(tag: DW_TAG_member, name: "data", scope: !77, file: !6, line: 6101, baseType: !34, size: 32)
!80 = !DIDerivedType(tag: DW_TAG_member, name: "data_end", scope: !77, file: !6, line: 6102, baseType: !34, size: 32, offset: 32)
!81 = !DIDerivedType(tag: DW_TAG_member, name: "data_meta", scope: !77, file: !6, line: 6103, baseType: !34, size: 32, offset: 64)
!82 = !DIDerivedType(tag: DW_TAG_member, name: "ingress_ifindex", scope: !77, file: !6, line: 6105, baseType: !34, size: 32, offset: 96)
!83 = !DIDerivedType(tag: DW_TAG_member, name: "rx_queue_index", scope: !77, file: !6, line: 6106, baseType: !34, size: 32, offset: 128)
!84 = !DIDerivedType(tag: DW_TAG_member, name: "egress_ifindex", scope: !77, file: !6, line: 6108, baseType: !34, size: 32, offset: 160)
!85 = !{!86, !87, !88, !89, !103, !104, !105, !106, !107, !108}
!86 = !DILocalVariable(name: "ctx", arg: 1, scope: !73, file: !3, line: 15, type: !76)
!87 = !DILocalVariable(name: "data", scope: !73, file: !3, line: 17, type: !15)
!88 = !DILocalVariable(name: "end", scope: !73, file: !3, line: 17, type: !15)
!89 = !DILocalVariable(name: "eth", scope: !73, file: !3, line: 18, type: !90)
!90 = !DIDerivedType(tag: DW_TAG_pointer_type, baseType: !91, size: 64)
!91 = distinct !DICompositeType(tag: DW_TAG_structure_type, name: "ethhdr", file: !92, line: 173, size: 112, elements: !93)
!92 = !DIFile(filename: "/usr/include/linux/if_ether.h", directory: "", checksumkind: CSK_MD5, checksum: "163f54fb1af2e21fea410f14eb18fa76")
!93 = !{!94, !99, !100}
!94 = !DIDerivedType(tag: DW_TAG_member, name: "h_dest", scope: !91, file: !92, line: 174, baseType: !95, size: 48)
!95 = !DICompositeType(tag: DW_TAG_array_type, baseType: !96, size: 48, elements: !97)
!96 = !DIBasicType(name: "unsigned char", size: 8, encoding: DW_ATE_unsigned_char)
!97 = !{!98}
!98 = !DISubrange(count: 6)
!99 = !DIDerivedType(tag: DW_TAG_member, name: "h_source", scope: !91, file: !92, line: 175, baseType: !95, size: 48, offset: 48)
!100 = !DIDerivedType(tag: DW_TAG_member, name: "h_proto", scope: !91, file: !92, line: 176, baseType: !101, size: 16, offset: 96)
!101 = !DIDerivedType(tag: DW_TAG_typedef, name: "__be16", file: !102, line: 28, baseType: !17)
!102 = !DIFile(filename: "/usr/include/linux/types.h", directory: "", checksumkind: CSK_MD5, checksum: "a82ae197a4533c0fa7d08f3ccc99ef94")
!103 = !DILocalVariable(name: "zero", scope: !73, file: !3, line: 19, type: !34)
!104 = !DILocalVariable(name: "one", scope: !73, file: !3, line: 19, type: !34)
!105 = !DILocalVariable(name: "conf_key", scope: !73, file: !3, line: 19, type: !34)
!106 = !DILocalVariable(name: "counter", scope: !73, file: !3, line: 22, type: !33)
!107 = !DILocalVariable(name: "c", scope: !73, file: !3, line: 25, type: !48)
!108 = !DILocalVariable(name: "setting", scope: !73, file: !3, line: 29, type: !33)
!109 = !DILocation(line: 0, scope: !73)
!110 = !DILocation(line: 17, column: 34, scope: !73)
!111 = !{!112, !113, i64 0}
!112 = !{!"xdp_md", !113, i64 0, !113, i64 4, !113, i64 8, !113, i64 12, !113, i64 16, !113, i64 20}
!113 = !{!"int", !114, i64 0}
!114 = !{!"omnipotent char", !115, i64 0}
!115 = !{!"Simple C/C++ TBAA"}
!116 = !DILocation(line: 17, column: 23, scope: !73)
!117 = !DILocation(line: 17, column: 66, scope: !73)
!118 = !{!112, !113, i64 4}
!119 = !DILocation(line: 17, column: 55, scope: !73)
!120 = !DILocation(line: 17, column: 47, scope: !73)
!121 = !DILocation(line: 18, column: 23, scope: !73)
!122 = !DILocation(line: 19, column: 2, scope: !73)
!123 = !DILocation(line: 19, column: 8, scope: !73)
!124 = !{!113, !113, i64 0}
!125 = !DILocation(line: 19, column: 18, scope: !73)
!126 = !DILocation(line: 19, column: 27, scope: !73)
!127 = !DILocation(line: 20, column: 6, scope: !128)
!128 = distinct !DILexicalBlock(scope: !73, file: !3, line: 20, column: 6)
!129 = !DILocation(line: 20, column: 24, scope: !128)
!130 = !DILocation(line: 20, column: 6, scope: !73)
!131 = !DILocation(line: 22, column: 19, scope: !73)
!132 = !DILocation(line: 23, column: 6, scope: !133)
!133 = distinct !DILexicalBlock(scope: !73, file: !3, line: 23, column: 6)
!134 = !DILocation(line: 23, column: 6, scope: !73)
!135 = !DILocation(line: 24, column: 3, scope: !133)
!136 = !DILocation(line: 25, column: 19, scope: !73)
!137 = !DILocation(line: 26, column: 7, scope: !138)
!138 = distinct !DILexicalBlock(scope: !73, file: !3, line: 26, column: 6)
!139 = !DILocation(line: 26, column: 6, scope: !73)
!140 = !DILocation(line: 28, column: 27, scope: !73)
!141 = !DILocation(line: 28, column: 2, scope: !73)
!142 = !DILocation(line: 29, column: 19, scope: !73)
!143 = !DILocation(line: 30, column: 7, scope: !144)
!144 = distinct !DILexicalBlock(scope: !73, file: !3, line: 30, column: 6)
!145 = !DILocation(line: 30, column: 6, scope: !73)
!146 = !DILocation(line: 32, column: 6, scope: !147)
!147 = distinct !DILexicalBlock(scope: !73, file: !3, line: 32, column: 6)
!148 = !DILocation(line: 32, column: 15, scope: !147)
!149 = !DILocation(line: 32, column: 20, scope: !147)
!150 = !DILocation(line: 32, column: 28, scope: !147)
!151 = !{!152, !153, i64 12}
!152 = !{!"ethhdr", !114, i64 0, !114, i64 6, !153, i64 12}
!153 = !{!"short", !114, i64 0}
!154 = !DILocation(line: 32, column: 36, scope: !147)
!155 = !DILocation(line: 32, column: 6, scope: !73)
!156 = !DILocation(line: 34, column: 12, scope: !73)
!157 = !{!158, !113, i64 0}
!158 = !{!"conf", !113, i64 0, !113, i64 4, !159, i64 8}
!159 = !{!"long long", !114, i64 0}
!160 = !DILocation(line: 34, column: 17, scope: !73)
!161 = !DILocation(line: 34, column: 22, scope: !73)
!162 = !DILocation(line: 34, column: 30, scope: !73)
!163 = !DILocation(line: 34, column: 38, scope: !73)
!164 = !DILocation(line: 35, column: 1, scope: !73)
