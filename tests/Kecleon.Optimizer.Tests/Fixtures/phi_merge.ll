; ModuleID = 'phi_merge.c'
source_filename = "phi_merge.c"
target datalayout = "e-m:e-p:64:64-i64:64-i128:128-n32:64-S128"
target triple = "bpf"

%struct.anon.1 = type { [1 x i32]*, [64 x i32]*, i32*, i32* }
%struct.anon.2 = type { [11 x i32]*, [64 x i32]*, [1 x i32]*, %struct.lpm_key*, i32* }
%struct.lpm_key = type { i32, i32 }
%struct.anon.3 = type { [2 x i32]*, [1 x i32]*, i32*, i32* }
%struct.anon.4 = type { [1 x i32]*, [16 x i32]*, i32*, %struct.neighbour* }
%struct.neighbour = type { [6 x i8], i16, i32 }
%struct.anon.5 = type { [14 x i32]*, [8 x i32]*, i32*, i32* }
%struct.xdp_md = type { i32, i32, i32, i32, i32, i32 }
%struct.ethhdr = type { [6 x i8], [6 x i8], i16 }

@LICENSE = dso_local global [4 x i8] c"GPL\00", section "license", align 1, !dbg !0
@hosts = dso_local global %struct.anon.1 zeroinitializer, section ".maps", align 8, !dbg !21
@prefixes = dso_local global %struct.anon.2 zeroinitializer, section ".maps", align 8, !dbg !40
@fallback_hop = dso_local global %struct.anon.3 zeroinitializer, section ".maps", align 8, !dbg !58
@neighbours = dso_local global %struct.anon.4 zeroinitializer, section ".maps", align 8, !dbg !70
@ports = dso_local global %struct.anon.5 zeroinitializer, section ".maps", align 8, !dbg !93
@llvm.compiler.used = appending global [7 x i8*] [i8* getelementptr inbounds ([4 x i8], [4 x i8]* @LICENSE, i32 0, i32 0), i8* bitcast (%struct.anon.3* @fallback_hop to i8*), i8* bitcast (%struct.anon.1* @hosts to i8*), i8* bitcast (%struct.anon.4* @neighbours to i8*), i8* bitcast (i32 (%struct.xdp_md*)* @phi_merge to i8*), i8* bitcast (%struct.anon.5* @ports to i8*), i8* bitcast (%struct.anon.2* @prefixes to i8*)], section "llvm.metadata"

; Function Attrs: nounwind
define dso_local i32 @phi_merge(%struct.xdp_md* nocapture noundef readonly %0) #0 section "xdp" !dbg !133 {
  %2 = alloca i32, align 4
  %3 = alloca %struct.lpm_key, align 4
  %4 = alloca i32, align 4
  call void @llvm.dbg.value(metadata %struct.xdp_md* %0, metadata !146, metadata !DIExpression()), !dbg !198
  %5 = getelementptr inbounds %struct.xdp_md, %struct.xdp_md* %0, i64 0, i32 0, !dbg !199
  %6 = load i32, i32* %5, align 4, !dbg !199, !tbaa !200
  %7 = zext i32 %6 to i64, !dbg !205
  call void @llvm.dbg.value(metadata i64 %7, metadata !147, metadata !DIExpression()), !dbg !198
  %8 = getelementptr inbounds %struct.xdp_md, %struct.xdp_md* %0, i64 0, i32 1, !dbg !206
  %9 = load i32, i32* %8, align 4, !dbg !206, !tbaa !207
  %10 = zext i32 %9 to i64, !dbg !208
  %11 = inttoptr i64 %10 to i8*, !dbg !209
  call void @llvm.dbg.value(metadata i8* %11, metadata !148, metadata !DIExpression()), !dbg !198
  %12 = inttoptr i64 %7 to %struct.ethhdr*, !dbg !210
  call void @llvm.dbg.value(metadata %struct.ethhdr* %12, metadata !149, metadata !DIExpression()), !dbg !198
  call void @llvm.dbg.value(metadata %struct.ethhdr* %12, metadata !160, metadata !DIExpression(DW_OP_plus_uconst, 14, DW_OP_stack_value)), !dbg !198
  %13 = getelementptr inbounds %struct.ethhdr, %struct.ethhdr* %12, i64 1, i32 0, i64 20, !dbg !211
  %14 = icmp ugt i8* %13, %11, !dbg !213
  br i1 %14, label %54, label %15, !dbg !214

15:                                               ; preds = %1
  %16 = getelementptr inbounds %struct.ethhdr, %struct.ethhdr* %12, i64 0, i32 2, !dbg !215
  %17 = load i16, i16* %16, align 1, !dbg !215, !tbaa !216
  %18 = icmp eq i16 %17, 8, !dbg !219
  br i1 %18, label %19, label %54, !dbg !220

19:                                               ; preds = %15
  %20 = bitcast i32* %2 to i8*, !dbg !221
  call void @llvm.lifetime.start.p0i8(i64 4, i8* nonnull %20) #5, !dbg !221
  %21 = getelementptr inbounds %struct.ethhdr, %struct.ethhdr* %12, i64 1, i32 0, i64 16, !dbg !222
  %22 = bitcast i8* %21 to i32*, !dbg !222
  %23 = load i32, i32* %22, align 4, !dbg !222, !tbaa !223
  call void @llvm.dbg.value(metadata i32 %23, metadata !189, metadata !DIExpression()), !dbg !198
  store i32 %23, i32* %2, align 4, !dbg !224, !tbaa !225
  call void @llvm.dbg.value(metadata i32* %2, metadata !189, metadata !DIExpression(DW_OP_deref)), !dbg !198
  %24 = call i8* inttoptr (i64 1 to i8* (i8*, i8*)*)(i8* noundef bitcast (%struct.anon.1* @hosts to i8*), i8* noundef nonnull %20) #5, !dbg !226
  call void @llvm.dbg.value(metadata i8* %24, metadata !190, metadata !DIExpression()), !dbg !198
  %25 = icmp eq i8* %24, null, !dbg !227
  br i1 %25, label %26, label %40, !dbg !228

26:                                               ; preds = %19
  %27 = bitcast %struct.lpm_key* %3 to i8*, !dbg !229
  call void @llvm.lifetime.start.p0i8(i64 8, i8* nonnull %27) #5, !dbg !229
  call void @llvm.dbg.declare(metadata %struct.lpm_key* %3, metadata !191, metadata !DIExpression()), !dbg !230
  %28 = getelementptr inbounds %struct.lpm_key, %struct.lpm_key* %3, i64 0, i32 0, !dbg !231
  store i32 32, i32* %28, align 4, !dbg !231, !tbaa !232
  %29 = getelementptr inbounds %struct.lpm_key, %struct.lpm_key* %3, i64 0, i32 1, !dbg !231
  %30 = load i32, i32* %2, align 4, !dbg !234, !tbaa !225
  call void @llvm.dbg.value(metadata i32 %30, metadata !189, metadata !DIExpression()), !dbg !198
  store i32 %30, i32* %29, align 4, !dbg !231, !tbaa !235
  %31 = call i8* inttoptr (i64 1 to i8* (i8*, i8*)*)(i8* noundef bitcast (%struct.anon.2* @prefixes to i8*), i8* noundef nonnull %27) #5, !dbg !236
  call void @llvm.dbg.value(metadata i8* %31, metadata !190, metadata !DIExpression()), !dbg !198
  %32 = icmp eq i8* %31, null, !dbg !237
  br i1 %32, label %33, label %37, !dbg !238

33:                                               ; preds = %26
  %34 = bitcast i32* %4 to i8*, !dbg !239
  call void @llvm.lifetime.start.p0i8(i64 4, i8* nonnull %34) #5, !dbg !239
  call void @llvm.dbg.value(metadata i32 0, metadata !194, metadata !DIExpression()), !dbg !240
  store i32 0, i32* %4, align 4, !dbg !241, !tbaa !225
  call void @llvm.dbg.value(metadata i32* %4, metadata !194, metadata !DIExpression(DW_OP_deref)), !dbg !240
  %35 = call i8* inttoptr (i64 1 to i8* (i8*, i8*)*)(i8* noundef bitcast (%struct.anon.3* @fallback_hop to i8*), i8* noundef nonnull %34) #5, !dbg !242
  call void @llvm.dbg.value(metadata i8* %35, metadata !190, metadata !DIExpression()), !dbg !198
  %36 = icmp eq i8* %35, null, !dbg !243
  call void @llvm.lifetime.end.p0i8(i64 4, i8* nonnull %34) #5, !dbg !245
  br i1 %36, label %39, label %37

37:                                               ; preds = %26, %33
  %38 = phi i8* [ %31, %26 ], [ %35, %33 ], !dbg !246
  call void @llvm.dbg.value(metadata i32* undef, metadata !190, metadata !DIExpression()), !dbg !198
  call void @llvm.lifetime.end.p0i8(i64 8, i8* nonnull %27) #5, !dbg !247
  br label %40

39:                                               ; preds = %33
  call void @llvm.dbg.value(metadata i32* undef, metadata !190, metadata !DIExpression()), !dbg !198
  call void @llvm.lifetime.end.p0i8(i64 8, i8* nonnull %27) #5, !dbg !247
  br label %52

40:                                               ; preds = %37, %19
  %41 = phi i8* [ %24, %19 ], [ %38, %37 ], !dbg !198
  call void @llvm.dbg.value(metadata i32* undef, metadata !190, metadata !DIExpression()), !dbg !198
  %42 = call i8* inttoptr (i64 1 to i8* (i8*, i8*)*)(i8* noundef bitcast (%struct.anon.4* @neighbours to i8*), i8* noundef nonnull %41) #5, !dbg !248
  call void @llvm.dbg.value(metadata i8* %42, metadata !197, metadata !DIExpression()), !dbg !198
  %43 = icmp eq i8* %42, null, !dbg !249
  br i1 %43, label %52, label %44, !dbg !251

44:                                               ; preds = %40
  call void @llvm.dbg.value(metadata i8* %42, metadata !197, metadata !DIExpression()), !dbg !198
  %45 = getelementptr inbounds %struct.ethhdr, %struct.ethhdr* %12, i64 0, i32 0, i64 0, !dbg !252
  call void @llvm.memcpy.p0i8.p0i8.i64(i8* noundef nonnull align 1 dereferenceable(6) %45, i8* noundef nonnull align 4 dereferenceable(6) %42, i64 6, i1 false), !dbg !252
  %46 = getelementptr inbounds i8, i8* %42, i64 8, !dbg !253
  %47 = bitcast i8* %46 to i32*, !dbg !253
  %48 = load i32, i32* %47, align 4, !dbg !253, !tbaa !254
  %49 = zext i32 %48 to i64, !dbg !256
  %50 = call i64 inttoptr (i64 51 to i64 (i8*, i64, i64)*)(i8* noundef bitcast (%struct.anon.5* @ports to i8*), i64 noundef %49, i64 noundef 0) #5, !dbg !257
  %51 = trunc i64 %50 to i32, !dbg !257
  br label %52, !dbg !258

52:                                               ; preds = %39, %44, %40
  %53 = phi i32 [ 0, %39 ], [ %51, %44 ], [ 1, %40 ]
  call void @llvm.lifetime.end.p0i8(i64 4, i8* nonnull %20) #5, !dbg !259
  br label %54

54:                                               ; preds = %1, %15, %52
  %55 = phi i32 [ %53, %52 ], [ 2, %15 ], [ 2, %1 ], !dbg !198
  ret i32 %55, !dbg !259
}

; Function Attrs: mustprogress nofree nosync nounwind readnone speculatable willreturn
declare void @llvm.dbg.declare(metadata, metadata, metadata) #1

; Function Attrs: argmemonly mustprogress nofree nosync nounwind willreturn
declare void @llvm.lifetime.start.p0i8(i64 immarg, i8* nocapture) #2

; Function Attrs: argmemonly mustprogress nofree nosync nounwind willreturn
declare void @llvm.lifetime.end.p0i8(i64 immarg, i8* nocapture) #2

; Function Attrs: argmemonly mustprogress nofree nounwind willreturn
declare void @llvm.memcpy.p0i8.p0i8.i64(i8* noalias nocapture writeonly, i8* noalias nocapture readonly, i64, i1 immarg) #3

; Function Attrs: nofree nosync nounwind readnone speculatable willreturn
declare void @llvm.dbg.value(metadata, metadata, metadata) #4

attributes #0 = { nounwind "frame-pointer"="all" "min-legal-vector-width"="0" "no-trapping-math"="true" "stack-protector-buffer-size"="8" }
attributes #1 = { mustprogress nofree nosync nounwind readnone speculatable willreturn }
attributes #2 = { argmemonly mustprogress nofree nosync nounwind willreturn }
attributes #3 = { argmemonly mustprogress nofree nounwind willreturn }
attributes #4 = { nofree nosync nounwind readnone speculatable willreturn }
attributes #5 = { nounwind }

!llvm.dbg.cu = !{!2}
!llvm.module.flags = !{!128, !129, !130, !131}
!llvm.ident = !{!132}

!0 = !DIGlobalVariableExpression(var: !1, expr: !DIExpression())
!1 = distinct !DIGlobalVariable(name: "LICENSE", scope: !2, file: !3, line: 9, type: !124, isLocal: false, isDefinition: true)
!2 = distinct !DICompileUnit(language: DW_LANG_C99, file: !3, producer: "Debian clang version 14.0.6", isOptimized: true, runtimeVersion: 0, emissionKind: FullDebug, enums: !4, retainedTypes: !14, globals: !20, splitDebugInlining: false, nameTableKind: None)
!3 = !DIFile(filename: "phi_merge.c", directory: ".", checksumkind: CSK_MD5, checksum: "31e39eed975dc446a2743fcc6eb32b69")
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
!20 = !{!0, !21, !40, !58, !70, !93, !109, !117}
!21 = !DIGlobalVariableExpression(var: !22, expr: !DIExpression())
!22 = distinct !DIGlobalVariable(name: "hosts", scope: !2, file: !3, line: 22, type: !23, isLocal: false, isDefinition: true)
!23 = distinct !DICompositeType(tag: DW_TAG_structure_type, file: !3, line: 22, size: 256, elements: !24)
!24 = !{!25, !31, !36, !39}
!25 = !DIDerivedType(tag: DW_TAG_member, name: "type", scope: !23, file: !3, line: 22, baseType: !26, size: 64)
!26 = !DIDerivedType(tag: DW_TAG_pointer_type, baseType: !27, size: 64)
!27 = !DICompositeType(tag: DW_TAG_array_type, baseType: !28, size: 32, elements: !29)
!28 = !DIBasicType(name: "int", size: 32, encoding: DW_ATE_signed)
!29 = !{!30}
!30 = !DISubrange(count: 1)
!31 = !DIDerivedType(tag: DW_TAG_member, name: "max_entries", scope: !23, file: !3, line: 22, baseType: !32, size: 64, offset: 64)
!32 = !DIDerivedType(tag: DW_TAG_pointer_type, baseType: !33, size: 64)
!33 = !DICompositeType(tag: DW_TAG_array_type, baseType: !28, size: 2048, elements: !34)
!34 = !{!35}
!35 = !DISubrange(count: 64)
!36 = !DIDerivedType(tag: DW_TAG_member, name: "key", scope: !23, file: !3, line: 22, baseType: !37, size: 64, offset: 128)
!37 = !DIDerivedType(tag: DW_TAG_pointer_type, baseType: !38, size: 64)
!38 = !DIDerivedType(tag: DW_TAG_typedef, name: "__u32", file: !18, line: 27, baseType: !7)
!39 = !DIDerivedType(tag: DW_TAG_member, name: "value", scope: !23, file: !3, line: 22, baseType: !37, size: 64, offset: 192)
!40 = !DIGlobalVariableExpression(var: !41, expr: !DIExpression())
!41 = distinct !DIGlobalVariable(name: "prefixes", scope: !2, file: !3, line: 24, type: !42, isLocal: false, isDefinition: true)
!42 = distinct !DICompositeType(tag: DW_TAG_structure_type, file: !3, line: 23, size: 320, elements: !43)
!43 = !{!44, !49, !50, !51, !57}
!44 = !DIDerivedType(tag: DW_TAG_member, name: "type", scope: !42, file: !3, line: 23, baseType: !45, size: 64)
!45 = !DIDerivedType(tag: DW_TAG_pointer_type, baseType: !46, size: 64)
!46 = !DICompositeType(tag: DW_TAG_array_type, baseType: !28, size: 352, elements: !47)
!47 = !{!48}
!48 = !DISubrange(count: 11)
!49 = !DIDerivedType(tag: DW_TAG_member, name: "max_entries", scope: !42, file: !3, line: 23, baseType: !32, size: 64, offset: 64)
!50 = !DIDerivedType(tag: DW_TAG_member, name: "map_flags", scope: !42, file: !3, line: 23, baseType: !26, size: 64, offset: 128)
!51 = !DIDerivedType(tag: DW_TAG_member, name: "key", scope: !42, file: !3, line: 24, baseType: !52, size: 64, offset: 192)
!52 = !DIDerivedType(tag: DW_TAG_pointer_type, baseType: !53, size: 64)
!53 = distinct !DICompositeType(tag: DW_TAG_structure_type, name: "lpm_key", file: !3, line: 11, size: 64, elements: !54)
!54 = !{!55, !56}
!55 = !DIDerivedType(tag: DW_TAG_member, name: "prefixlen", scope: !53, file: !3, line: 12, baseType: !38, size: 32)
!56 = !DIDerivedType(tag: DW_TAG_member, name: "addr", scope: !53, file: !3, line: 13, baseType: !38, size: 32, offset: 32)
!57 = !DIDerivedType(tag: DW_TAG_member, name: "value", scope: !42, file: !3, line: 24, baseType: !37, size: 64, offset: 256)
!58 = !DIGlobalVariableExpression(var: !59, expr: !DIExpression())
!59 = distinct !DIGlobalVariable(name: "fallback_hop", scope: !2, file: !3, line: 25, type: !60, isLocal: false, isDefinition: true)
!60 = distinct !DICompositeType(tag: DW_TAG_structure_type, file: !3, line: 25, size: 256, elements: !61)
!61 = !{!62, !67, !68, !69}
!62 = !DIDerivedType(tag: DW_TAG_member, name: "type", scope: !60, file: !3, line: 25, baseType: !63, size: 64)
!63 = !DIDerivedType(tag: DW_TAG_pointer_type, baseType: !64, size: 64)
!64 = !DICompositeType(tag: DW_TAG_array_type, baseType: !28, size: 64, elements: !65)
!65 = !{!66}
!66 = !DISubrange(count: 2)
!67 = !DIDerivedType(tag: DW_TAG_member, name: "max_entries", scope: !60, file: !3, line: 25, baseType: !26, size: 64, offset: 64)
!68 = !DIDerivedType(tag: DW_TAG_member, name: "key", scope: !60, file: !3, line: 25, baseType: !37, size: 64, offset: 128)
!69 = !DIDerivedType(tag: DW_TAG_member, name: "value", scope: !60, file: !3, line: 25, baseType: !37, size: 64, offset: 192)
!70 = !DIGlobalVariableExpression(var: !71, expr: !DIExpression())
!71 = distinct !DIGlobalVariable(name: "neighbours", scope: !2, file: !3, line: 26, type: !72, isLocal: false, isDefinition: true)
!72 = distinct !DICompositeType(tag: DW_TAG_structure_type, file: !3, line: 26, size: 256, elements: !73)
!73 = !{!74, !75, !80, !81}
!74 = !DIDerivedType(tag: DW_TAG_member, name: "type", scope: !72, file: !3, line: 26, baseType: !26, size: 64)
!75 = !DIDerivedType(tag: DW_TAG_member, name: "max_entries", scope: !72, file: !3, line: 26, baseType: !76, size: 64, offset: 64)
!76 = !DIDerivedType(tag: DW_TAG_pointer_type, baseType: !77, size: 64)
!77 = !DICompositeType(tag: DW_TAG_array_type, baseType: !28, size: 512, elements: !78)
!78 = !{!79}
!79 = !DISubrange(count: 16)
!80 = !DIDerivedType(tag: DW_TAG_member, name: "key", scope: !72, file: !3, line: 26, baseType: !37, size: 64, offset: 128)
!81 = !DIDerivedType(tag: DW_TAG_member, name: "value", scope: !72, file: !3, line: 26, baseType: !82, size: 64, offset: 192)
!82 = !DIDerivedType(tag: DW_TAG_pointer_type, baseType: !83, size: 64)
!83 = distinct !DICompositeType(tag: DW_TAG_structure_type, name: "neighbour", file: !3, line: 16, size: 96, elements: !84)
!84 = !{!85, !91, !92}
!85 = !DIDerivedType(tag: DW_TAG_member, name: "mac", scope: !83, file: !3, line: 17, baseType: !86, size: 48)
!86 = !DICompositeType(tag: DW_TAG_array_type, baseType: !87, size: 48, elements: !89)
!87 = !DIDerivedType(tag: DW_TAG_typedef, name: "__u8", file: !18, line: 21, baseType: !88)
!88 = !DIBasicType(name: "unsigned char", size: 8, encoding: DW_ATE_unsigned_char)
!89 = !{!90}
!90 = !DISubrange(count: 6)
!91 = !DIDerivedType(tag: DW_TAG_member, name: "flags", scope: !83, file: !3, line: 18, baseType: !17, size: 16, offset: 48)
!92 = !DIDerivedType(tag: DW_TAG_member, name: "port", scope: !83, file: !3, line: 19, baseType: !38, size: 32, offset: 64)
!93 = !DIGlobalVariableExpression(var: !94, expr: !DIExpression())
!94 = distinct !DIGlobalVariable(name: "ports", scope: !2, file: !3, line: 27, type: !95, isLocal: false, isDefinition: true)
!95 = distinct !DICompositeType(tag: DW_TAG_structure_type, file: !3, line: 27, size: 256, elements: !96)
!96 = !{!97, !102, !107, !108}
!97 = !DIDerivedType(tag: DW_TAG_member, name: "type", scope: !95, file: !3, line: 27, baseType: !98, size: 64)
!98 = !DIDerivedType(tag: DW_TAG_pointer_type, baseType: !99, size: 64)
!99 = !DICompositeType(tag: DW_TAG_array_type, baseType: !28, size: 448, elements: !100)
!100 = !{!101}
!101 = !DISubrange(count: 14)
!102 = !DIDerivedType(tag: DW_TAG_member, name: "max_entries", scope: !95, file: !3, line: 27, baseType: !103, size: 64, offset: 64)
!103 = !DIDerivedType(tag: DW_TAG_pointer_type, baseType: !104, size: 64)
!104 = !DICompositeType(tag: DW_TAG_array_type, baseType: !28, size: 256, elements: !105)
!105 = !{!106}
!106 = !DISubrange(count: 8)
!107 = !DIDerivedType(tag: DW_TAG_member, name: "key", scope: !95, file: !3, line: 27, baseType: !37, size: 64, offset: 128)
!108 = !DIDerivedType(tag: DW_TAG_member, name: "value", scope: !95, file: !3, line: 27, baseType: !37, size: 64, offset: 192)
!109 = !DIGlobalVariableExpression(var: !110, expr: !DIExpression())
!110 = distinct !DIGlobalVariable(name: "bpf_map_lookup_elem", scope: !2, file: !111, line: 56, type: !112, isLocal: true, isDefinition: true)
!111 = !DIFile(filename: "/usr/include/bpf/bpf_helper_defs.h", directory: "", checksumkind: CSK_MD5, checksum: "ba0039f6acc4710a5f4349e628ddfb60")
!112 = !DIDerivedType(tag: DW_TAG_pointer_type, baseType: !113, size: 64)
!113 = !DISubroutineType(types: !114)
!114 = !{!15, !15, !115}
!115 = !DIDerivedType(tag: DW_TAG_pointer_type, baseType: !116, size: 64)
!116 = !DIDerivedType(tag: DW_TAG_const_type, baseType: null)
!117 = !DIGlobalVariableExpression(var: !118, expr: !DIExpression())
!118 = distinct !DIGlobalVariable(name: "bpf_redirect_map", scope: !2, file: !111, line: 1318, type: !119, isLocal: true, isDefinition: true)
!119 = !DIDerivedType(tag: DW_TAG_pointer_type, baseType: !120, size: 64)
!120 = !DISubroutineType(types: !121)
!121 = !{!16, !15, !122, !122}
!122 = !DIDerivedType(tag: DW_TAG_typedef, name: "__u64", file: !18, line: 31, baseType: !123)
!123 = !DIBasicType(name: "unsigned long long", size: 64, encoding: DW_ATE_unsigned)
!124 = !DICompositeType(tag: DW_TAG_array_type, baseType: !125, size: 32, elements: !126)
!125 = !DIBasicType(name: "char", size: 8, encoding: DW_ATE_signed_char)
!126 = !{!127}
!127 = !DISubrange(count: 4)
!128 = !{i32 7, !"Dwarf Version", i32 5}
!129 = !{i32 2, !"Debug Info Version", i32 3}
!130 = !{i32 1, !"wchar_size", i32 4}
!131 = !{i32 7, !"frame-pointer", i32 2}
!132 = !{!"Debian clang version 14.0.6"}
!133 = distinct !DISubprogram(name: "phi_merge", scope: !3, file: !3, line: 30, type: !134, scopeLine: 31, flags: DIFlagPrototyped | DIFlagAllCallsDescribed, spFlags: DISPFlagDefinition | DISPFlagOptimized, unit: !2, retainedNodes: !145)
!134 = !DISubroutineType(types: !135)
!135 = !{!28, !136}
!136 = !DIDerivedType(tag: DW_TAG_pointer_type, baseType: !137, size: 64)
!137 = distinct !DICompositeType(tag: DW_TAG_structure_type, name: "xdp_md", file: !6, line: 6100, size: 192, elements: !138)
!138 = !{!139, !140, !141, !142, !143, !144}
!139 = !DIDerivedType(tag: DW_TAG_member, name: "data", scope: !137, file: !6, line: 6101, baseType: !38, size: 32)
!140 = !DIDerivedType(tag: DW_TAG_member, name: "data_end", scope: !137, file: !6, line: 6102, baseType: !38, size: 32, offset: 32)
!141 = !DIDerivedType(tag: DW_TAG_member, name: "data_meta", scope: !137, file: !6, line: 6103, baseType: !38, size: 32, offset: 64)
!142 = !DIDerivedType(tag: DW_TAG_member, name: "ingress_ifindex", scope: !137, file: !6, line: 6105, baseType: !38, size: 32, offset: 96)
!143 = !DIDerivedType(tag: DW_TAG_member, name: "rx_queue_index", scope: !137, file: !6, line: 6106, baseType: !38, size: 32, offset: 128)
!144 = !DIDerivedType(tag: DW_TAG_member, name: "egress_ifindex", scope: !137, file: !6, line: 6108, baseType: !38, size: 32, offset: 160)
!145 = !{!146, !147, !148, !149, !160, !189, !190, !191, !194, !197}
!146 = !DILocalVariable(name: "ctx", arg: 1, scope: !133, file: !3, line: 30, type: !136)
!147 = !DILocalVariable(name: "data", scope: !133, file: !3, line: 32, type: !15)
!148 = !DILocalVariable(name: "end", scope: !133, file: !3, line: 32, type: !15)
!149 = !DILocalVariable(name: "eth", scope: !133, file: !3, line: 33, type: !150)
!150 = !DIDerivedType(tag: DW_TAG_pointer_type, baseType: !151, size: 64)
!151 = distinct !DICompositeType(tag: DW_TAG_structure_type, name: "ethhdr", file: !152, line: 173, size: 112, elements: !153)
!152 = !DIFile(filename: "/usr/include/linux/if_ether.h", directory: "", checksumkind: CSK_MD5, checksum: "163f54fb1af2e21fea410f14eb18fa76")
!153 = !{!154, !156, !157}
!154 = !DIDerivedType(tag: DW_TAG_member, name: "h_dest", scope: !151, file: !152, line: 174, baseType: !155, size: 48)
!155 = !DICompositeType(tag: DW_TAG_array_type, baseType: !88, size: 48, elements: !89)
!156 = !DIDerivedType(tag: DW_TAG_member, name: "h_source", scope: !151, file: !152, line: 175, baseType: !155, size: 48, offset: 48)
!157 = !DIDerivedType(tag: DW_TAG_member, name: "h_proto", scope: !151, file: !152, line: 176, baseType: !158, size: 16, offset: 96)
!158 = !DIDerivedType(tag: DW_TAG_typedef, name: "__be16", file: !159, line: 28, baseType: !17)
!159 = !DIFile(filename: "/usr/include/linux/types.h", directory: "", checksumkind: CSK_MD5, checksum: "a82ae197a4533c0fa7d08f3ccc99ef94")
!160 = !DILocalVariable(name: "ip", scope: !133, file: !3, line: 34, type: !161)
!161 = !DIDerivedType(tag: DW_TAG_pointer_type, baseType: !162, size: 64)
!162 = distinct !DICompositeType(tag: DW_TAG_structure_type, name: "iphdr", file: !163, line: 87, size: 160, elements: !164)
!163 = !DIFile(filename: "/usr/include/linux/ip.h", directory: "", checksumkind: CSK_MD5, checksum: "149778ace30a1ff208adc8783fd04b29")
!164 = !{!165, !166, !167, !168, !169, !170, !171, !172, !173, !175}
!165 = !DIDerivedType(tag: DW_TAG_member, name: "ihl", scope: !162, file: !163, line: 89, baseType: !87, size: 4, flags: DIFlagBitField, extraData: i64 0)
!166 = !DIDerivedType(tag: DW_TAG_member, name: "version", scope: !162, file: !163, line: 90, baseType: !87, size: 4, offset: 4, flags: DIFlagBitField, extraData: i64 0)
!167 = !DIDerivedType(tag: DW_TAG_member, name: "tos", scope: !162, file: !163, line: 97, baseType: !87, size: 8, offset: 8)
!168 = !DIDerivedType(tag: DW_TAG_member, name: "tot_len", scope: !162, file: !163, line: 98, baseType: !158, size: 16, offset: 16)
!169 = !DIDerivedType(tag: DW_TAG_member, name: "id", scope: !162, file: !163, line: 99, baseType: !158, size: 16, offset: 32)
!170 = !DIDerivedType(tag: DW_TAG_member, name: "frag_off", scope: !162, file: !163, line: 100, baseType: !158, size: 16, offset: 48)
!171 = !DIDerivedType(tag: DW_TAG_member, name: "ttl", scope: !162, file: !163, line: 101, baseType: !87, size: 8, offset: 64)
!172 = !DIDerivedType(tag: DW_TAG_member, name: "protocol", scope: !162, file: !163, line: 102, baseType: !87, size: 8, offset: 72)
!173 = !DIDerivedType(tag: DW_TAG_member, name: "check", scope: !162, file: !163, line: 103, baseType: !174, size: 16, offset: 80)
!174 = !DIDerivedType(tag: DW_TAG_typedef, name: "__sum16", file: !159, line: 34, baseType: !17)
!175 = !DIDerivedType(tag: DW_TAG_member, scope: !162, file: !163, line: 104, baseType: !176, size: 64, offset: 96)
!176 = distinct !DICompositeType(tag: DW_TAG_union_type, scope: !162, file: !163, line: 104, size: 64, elements: !177)
!177 = !{!178, !184}
!178 = !DIDerivedType(tag: DW_TAG_member, scope: !176, file: !163, line: 104, baseType: !179, size: 64)
!179 = distinct !DICompositeType(tag: DW_TAG_structure_type, scope: !176, file: !163, line: 104, size: 64, elements: !180)
!180 = !{!181, !183}
!181 = !DIDerivedType(tag: DW_TAG_member, name: "saddr", scope: !179, file: !163, line: 104, baseType: !182, size: 32)
!182 = !DIDerivedType(tag: DW_TAG_typedef, name: "__be32", file: !159, line: 30, baseType: !38)
!183 = !DIDerivedType(tag: DW_TAG_member, name: "daddr", scope: !179, file: !163, line: 104, baseType: !182, size: 32, offset: 32)
!184 = !DIDerivedType(tag: DW_TAG_member, name: "addrs", scope: !176, file: !163, line: 104, baseType: !185, size: 64)
!185 = distinct !DICompositeType(tag: DW_TAG_structure_type, scope: !176, file: !163, line: 104, size: 64, elements: !186)
!186 = !{!187, !188}
!187 = !DIDerivedType(tag: DW_TAG_member, name: "saddr", scope: !185, file: !163, line: 104, baseType: !182, size: 32)
!188 = !DIDerivedType(tag: DW_TAG_member, name: "daddr", scope: !185, file: !163, line: 104, baseType: !182, size: 32, offset: 32)
!189 = !DILocalVariable(name: "daddr", scope: !133, file: !3, line: 37, type: !38)
!190 = !DILocalVariable(name: "hop", scope: !133, file: !3, line: 38, type: !37)
!191 = !DILocalVariable(name: "key", scope: !192, file: !3, line: 40, type: !53)
!192 = distinct !DILexicalBlock(scope: !193, file: !3, line: 39, column: 12)
!193 = distinct !DILexicalBlock(scope: !133, file: !3, line: 39, column: 6)
!194 = !DILocalVariable(name: "zero", scope: !195, file: !3, line: 43, type: !38)
!195 = distinct !DILexicalBlock(scope: !196, file: !3, line: 42, column: 13)
!196 = distinct !DILexicalBlock(scope: !192, file: !3, line: 42, column: 7)
!197 = !DILocalVariable(name: "n", scope: !133, file: !3, line: 49, type: !82)
!198 = !DILocation(line: 0, scope: !133)
!199 = !DILocation(line: 32, column: 34, scope: !133)
!200 = !{!201, !202, i64 0}
!201 = !{!"xdp_md", !202, i64 0, !202, i64 4, !202, i64 8, !202, i64 12, !202, i64 16, !202, i64 20}
!202 = !{!"int", !203, i64 0}
!203 = !{!"omnipotent char", !204, i64 0}
!204 = !{!"Simple C/C++ TBAA"}
!205 = !DILocation(line: 32, column: 23, scope: !133)
!206 = !DILocation(line: 32, column: 66, scope: !133)
!207 = !{!201, !202, i64 4}
!208 = !DILocation(line: 32, column: 55, scope: !133)
!209 = !DILocation(line: 32, column: 47, scope: !133)
!210 = !DILocation(line: 33, column: 23, scope: !133)
!211 = !DILocation(line: 35, column: 18, scope: !212)
!212 = distinct !DILexicalBlock(scope: !133, file: !3, line: 35, column: 6)
!213 = !DILocation(line: 35, column: 23, scope: !212)
!214 = !DILocation(line: 35, column: 29, scope: !212)
!215 = !DILocation(line: 35, column: 37, scope: !212)
!216 = !{!217, !218, i64 12}
!217 = !{!"ethhdr", !203, i64 0, !203, i64 6, !218, i64 12}
!218 = !{!"short", !203, i64 0}
!219 = !DILocation(line: 35, column: 45, scope: !212)
!220 = !DILocation(line: 35, column: 6, scope: !133)
!221 = !DILocation(line: 37, column: 2, scope: !133)
!222 = !DILocation(line: 37, column: 20, scope: !133)
!223 = !{!203, !203, i64 0}
!224 = !DILocation(line: 37, column: 8, scope: !133)
!225 = !{!202, !202, i64 0}
!226 = !DILocation(line: 38, column: 15, scope: !133)
!227 = !DILocation(line: 39, column: 7, scope: !193)
!228 = !DILocation(line: 39, column: 6, scope: !133)
!229 = !DILocation(line: 40, column: 3, scope: !192)
!230 = !DILocation(line: 40, column: 18, scope: !192)
!231 = !DILocation(line: 40, column: 24, scope: !192)
!232 = !{!233, !202, i64 0}
!233 = !{!"lpm_key", !202, i64 0, !202, i64 4}
!234 = !DILocation(line: 40, column: 51, scope: !192)
!235 = !{!233, !202, i64 4}
!236 = !DILocation(line: 41, column: 9, scope: !192)
!237 = !DILocation(line: 42, column: 8, scope: !196)
!238 = !DILocation(line: 42, column: 7, scope: !192)
!239 = !DILocation(line: 43, column: 4, scope: !195)
!240 = !DILocation(line: 0, scope: !195)
!241 = !DILocation(line: 43, column: 10, scope: !195)
!242 = !DILocation(line: 44, column: 10, scope: !195)
!243 = !DILocation(line: 45, column: 9, scope: !244)
!244 = distinct !DILexicalBlock(scope: !195, file: !3, line: 45, column: 8)
!245 = !DILocation(line: 47, column: 3, scope: !196)
!246 = !DILocation(line: 0, scope: !192)
!247 = !DILocation(line: 48, column: 2, scope: !193)
!248 = !DILocation(line: 49, column: 24, scope: !133)
!249 = !DILocation(line: 50, column: 7, scope: !250)
!250 = distinct !DILexicalBlock(scope: !133, file: !3, line: 50, column: 6)
!251 = !DILocation(line: 50, column: 6, scope: !133)
!252 = !DILocation(line: 52, column: 2, scope: !133)
!253 = !DILocation(line: 53, column: 37, scope: !133)
!254 = !{!255, !202, i64 8}
!255 = !{!"neighbour", !203, i64 0, !218, i64 6, !202, i64 8}
!256 = !DILocation(line: 53, column: 34, scope: !133)
!257 = !DILocation(line: 53, column: 9, scope: !133)
!258 = !DILocation(line: 53, column: 2, scope: !133)
!259 = !DILocation(line: 54, column: 1, scope: !133)
